// Whoever holds the database rewrites the audit log as well as it can be rewritten: the hash
// chain, the chain head and every tree row recomputed, as superuser with the triggers off.
// The signed checkpoints, which need a key the database never sees, still tell.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "domain/audit.h"
#include "domain/merkle.h"
#include "domain/signed_note.h"
#include "eventually.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A directory of its own, removed at the end.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/compliance-audit-test.XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> WithWitness(const TempDir& witness) {
  return {"COMPLIANCE_AUDIT_WITNESS_DIR=" + witness.path()};
}

// One audit event: a change of requirement 5.1.a's notes.
void MakeEvent(ServerProcess& server, const std::string& notes) {
  auto stub = v1::RequirementService::NewStub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(10));
  v1::UpdateRequirementRequest request;
  request.mutable_requirement()->set_name("frameworks/iso27001-2022/requirements/5.1.a");
  request.mutable_requirement()->set_notes(notes);
  request.mutable_update_mask()->add_paths("notes");
  v1::UpdateRequirementResponse response;
  const auto status = stub->UpdateRequirement(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void MakeEvents(ServerProcess& server, int count, const std::string& tag) {
  for (int i = 0; i < count; ++i) MakeEvent(server, tag + " " + std::to_string(i));
}

v1::GetCheckpointResponse Checkpoint(ServerProcess& server) {
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(5));
  v1::GetCheckpointResponse response;
  (void)stub->GetCheckpoint(&context, {}, &response);
  return response;
}

// Waits until the server has signed a checkpoint of exactly `size` events (it signs at most
// once a second, so a test that wants one at a given size waits for it before writing more).
v1::GetCheckpointResponse AwaitCheckpoint(ServerProcess& server, int64_t size) {
  const auto give_up = DeadlineIn(20);
  while (std::chrono::system_clock::now() < give_up) {
    auto checkpoint = Checkpoint(server);
    if (checkpoint.tree_size() == size) return checkpoint;
    usleep(50'000);
  }
  ADD_FAILURE() << "no checkpoint of " << size << " events was signed";
  return {};
}

// Trees the server has refused to sign, from its /metrics.
double Refusals(ServerProcess& server) {
  const std::string metrics = HttpGet("http://" + server.metrics_address() + "/metrics");
  const std::string sample = "\ncompliance_audit_checkpoint_refusals_total ";
  const size_t at = metrics.find(sample);
  return at == std::string::npos ? 0 : std::stod(metrics.substr(at + sample.size()));
}

std::string Save(const TempDir& dir, const std::string& name, const std::string& note) {
  const std::string path = dir.path() + "/" + name;
  std::ofstream(path) << note;
  return path;
}

ProcessResult Cli(ServerProcess& server, std::vector<std::string> args) {
  args.insert(args.begin(), CliBinary());
  return RunProcess(args, {"COMPLIANCE_SERVER=" + server.address()});
}

// What a database administrator can do without the signing key: rewrite every row, recompute
// every hash the database holds, and keep the checkpoints it cannot forge or drop them.
class Forger {
 public:
  explicit Forger(const TestDatabase& db) : connection_(db.url()) {}

  // Changes event `sequence`'s after_json (it keeps valid JSON).
  void Rewrite(int64_t sequence) {
    Run("UPDATE audit_events SET after_json = replace(after_json, '\"notes\"', "
        "'\"notes\":\"forged\",\"was\"') WHERE sequence = " +
        std::to_string(sequence));
    Recompute();
  }

  // Cuts every event after `keep`, and the checkpoints beyond it.
  void CutAfter(int64_t keep) {
    Run("DELETE FROM audit_events WHERE sequence > " + std::to_string(keep));
    Run("DELETE FROM audit_checkpoints WHERE tree_size > " + std::to_string(keep));
    Recompute();
  }

  // Starts the log anew: no events, no tree, no checkpoints.
  void Wipe() {
    Run("DELETE FROM audit_events");
    Run("DELETE FROM audit_checkpoints");
    Recompute();
  }

 private:
  void Run(const std::string& sql) {
    pqxx::work work(connection_);
    work.exec0("SET LOCAL session_replication_role = replica");
    work.exec0(sql);
    work.commit();
  }

  // The chain, its head and the whole tree, from the events as they now are.
  void Recompute() {
    pqxx::work work(connection_);
    work.exec0("SET LOCAL session_replication_role = replica");
    std::string prev_hash = kGenesisHash;
    std::vector<std::string> leaves;
    int64_t sequence = 0;
    for (const auto& row :
         work.exec("SELECT sequence, ts_to_us(event_time), actor, method, resource, request_id, "
                   "before_json, after_json FROM audit_events ORDER BY sequence")) {
      AuditEvent event;
      event.sequence = row[0].as<int64_t>();
      event.time = absl::FromUnixMicros(row[1].as<int64_t>());
      event.entry = {row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(),
                     row[5].as<std::string>(), row[6].as<std::string>(), row[7].as<std::string>()};
      event.hash = AuditHash(prev_hash, event.sequence, event.time, event.entry);
      work.exec_params0("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE sequence = $3",
                        prev_hash, event.hash, event.sequence);
      prev_hash = event.hash;
      sequence = event.sequence;
      leaves.push_back(AuditLeafHash(event));
    }
    work.exec_params0("UPDATE audit_head SET sequence = $1, hash = $2", sequence, prev_hash);
    work.exec0("DELETE FROM audit_tree");
    for (const auto& node : AppendLeaves(0, {}, leaves)) {
      work.exec_params0(
          "INSERT INTO audit_tree (level, position, hash) VALUES ($1, $2, decode($3, 'hex'))",
          node.node.level, node.node.index, absl::BytesToHexString(node.hash));
    }
    work.commit();
  }

  pqxx::connection connection_;
};

TEST(AuditTamper, ARewrittenEventIsNamedThoughTheChainAndTreeWereRecomputed) {
  TestDatabase db;
  TempDir witness, saved;
  ServerProcess server(db.url(), WithWitness(witness));
  MakeEvents(server, 5, "before");
  AwaitCheckpoint(server, 5);
  MakeEvent(server, "the one to forge");
  AwaitCheckpoint(server, 6);
  MakeEvents(server, 4, "after");
  const std::string checkpoint = Save(saved, "cp.txt", AwaitCheckpoint(server, 10).note());

  Forger(db).Rewrite(6);

  // The forgery is competent: the hash chain alone cannot tell.
  const auto chain = Cli(server, {"audit", "verify"});
  EXPECT_EQ(chain.exit_code, 0) << chain.out << chain.err;
  const std::string key = TestAuditVerifierKey();
  // The saved checkpoint alone: the log no longer matches it.
  const auto saved_only =
      Cli(server, {"audit", "verify", "--key", key, "--checkpoint", checkpoint});
  EXPECT_EQ(saved_only.exit_code, 3) << saved_only.out << saved_only.err;
  EXPECT_TRUE(Contains(saved_only.out, "BROKEN")) << saved_only.out;
  // With the witness directory's checkpoints of 5 and 6 events, the event is named.
  const auto named = Cli(server, {"audit", "verify", "--key", key, "--checkpoint", checkpoint,
                                  "--checkpoint", witness.path()});
  EXPECT_EQ(named.exit_code, 3) << named.out << named.err;
  EXPECT_TRUE(Contains(named.out, "BROKEN at sequence 6: event 6 does not match")) << named.out;

  // The server refuses to sign the rewritten tree as it grows: once it has counted a refusal,
  // the newest checkpoint is still the one of 10 events.
  MakeEvent(server, "after the forgery");
  EXPECT_TRUE(Eventually([&] { return Refusals(server) > 0; })) << "no signing was refused";
  EXPECT_EQ(Checkpoint(server).tree_size(), 10);
  EXPECT_TRUE(Contains(HttpGet("http://" + server.metrics_address() + "/metrics"),
                       "compliance_audit_checkpoint_refusals_total"));
}

TEST(AuditTamper, ACutTailRebuiltToLookWholeIsNamed) {
  TestDatabase db;
  TempDir witness, saved;
  std::string checkpoint;
  {
    ServerProcess server(db.url(), WithWitness(witness));
    MakeEvents(server, 7, "kept");
    AwaitCheckpoint(server, 7);
    MakeEvent(server, "cut");
    AwaitCheckpoint(server, 8);
    MakeEvents(server, 2, "cut too");
    checkpoint = Save(saved, "cp.txt", AwaitCheckpoint(server, 10).note());
  }
  Forger(db).CutAfter(7);
  // A server that does not see the witness directory trusts the database's newest
  // checkpoint, and signs what is written next: the log looks whole again.
  ServerProcess server(db.url());
  MakeEvents(server, 3, "in their place");
  AwaitCheckpoint(server, 10);

  const std::string key = TestAuditVerifierKey();
  const auto result = Cli(server, {"audit", "verify", "--key", key, "--checkpoint", checkpoint,
                                   "--checkpoint", witness.path()});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(Contains(result.out, "BROKEN at sequence 8: event 8 does not match")) << result.out;
}

TEST(AuditTamper, ACutTailIsNamedAsMissing) {
  TestDatabase db;
  TempDir saved;
  ServerProcess server(db.url());
  MakeEvents(server, 6, "event");
  const std::string checkpoint = Save(saved, "cp.txt", AwaitCheckpoint(server, 6).note());
  Forger(db).CutAfter(4);
  const auto result =
      Cli(server, {"audit", "verify", "--key", TestAuditVerifierKey(), "--checkpoint", checkpoint});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(Contains(result.out, "BROKEN at sequence 5: events 5…6 are missing")) << result.out;
}

TEST(AuditTamper, ALogRebuiltWithAnotherKeyIsRefused) {
  TestDatabase db;
  TempDir saved, keys;
  std::string checkpoint;
  {
    ServerProcess server(db.url());
    MakeEvents(server, 4, "original");
    checkpoint = Save(saved, "cp.txt", AwaitCheckpoint(server, 4).note());
  }
  Forger(db).Wipe();
  const std::string other_key = keys.path() + "/other.key";
  ASSERT_EQ(RunProcess({ServerBinary(), "audit-key", "create", "--name",
                        "compliance-status.test/audit", "--audit-signing-key", other_key})
                .exit_code,
            0);
  ServerProcess server(db.url(), {"COMPLIANCE_AUDIT_SIGNING_KEY=" + other_key});
  MakeEvents(server, 4, "rebuilt");
  AwaitCheckpoint(server, 4);

  const std::string key = TestAuditVerifierKey();
  const auto alone = Cli(server, {"audit", "verify", "--key", key});
  EXPECT_EQ(alone.exit_code, 3) << alone.out << alone.err;
  EXPECT_TRUE(Contains(alone.out, "not signed by this key")) << alone.out;
  const auto with_saved =
      Cli(server, {"audit", "verify", "--key", key, "--checkpoint", checkpoint});
  EXPECT_EQ(with_saved.exit_code, 3) << with_saved.out << with_saved.err;
}

TEST(AuditTamper, AnHonestLogVerifiesAgainstEveryCheckpointItWasGiven) {
  TestDatabase db;
  TempDir witness, saved;
  ServerProcess server(db.url(), WithWitness(witness));
  MakeEvents(server, 3, "first");
  const std::string early = Save(saved, "early.txt", AwaitCheckpoint(server, 3).note());
  MakeEvents(server, 9, "more");
  AwaitCheckpoint(server, 12);
  const auto result = Cli(server, {"audit", "verify", "--key", TestAuditVerifierKey(),
                                   "--checkpoint", early, "--checkpoint", witness.path()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(Contains(result.out, "intact: 12 events verified")) << result.out;
  // Every checkpoint the witness holds verifies with the server's verifier key.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(witness.path())) {
    std::ifstream in(entry.path());
    const std::string note((std::istreambuf_iterator<char>(in)), {});
    EXPECT_TRUE(OpenNote(note, TestAuditVerifierKey()).ok()) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 2);
}

}  // namespace
}  // namespace compliance::testing
