// Checkpoints and proofs of the audit log's Merkle tree, from the real server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "api/audit_proto.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "domain/audit.h"
#include "domain/merkle.h"
#include "domain/signed_note.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

void MakeEvents(ServerProcess& server, int count) {
  auto stub = v1::RequirementService::NewStub(server.Channel());
  for (int i = 0; i < count; ++i) {
    grpc::ClientContext context;
    context.set_deadline(DeadlineIn(10));
    v1::UpdateRequirementRequest request;
    request.mutable_requirement()->set_name("frameworks/iso27001-2022/requirements/5.1.b");
    request.mutable_requirement()->set_notes("note " + std::to_string(i) + " of " +
                                             server.address());
    request.mutable_update_mask()->add_paths("notes");
    v1::UpdateRequirementResponse response;
    ASSERT_TRUE(stub->UpdateRequirement(&context, request, &response).ok());
  }
}

// The verified checkpoint of the server once it covers `size` events.
Checkpoint AwaitCheckpoint(ServerProcess& server, int64_t size) {
  auto stub = v1::AuditService::NewStub(server.Channel());
  const auto give_up = DeadlineIn(20);
  while (std::chrono::system_clock::now() < give_up) {
    grpc::ClientContext context;
    v1::GetCheckpointResponse response;
    if (stub->GetCheckpoint(&context, {}, &response).ok() && response.tree_size() >= size) {
      auto text = OpenNote(response.note(), TestAuditVerifierKey());
      EXPECT_TRUE(text.ok()) << text.status();
      auto checkpoint = ParseCheckpointBody(text.ok() ? *text : "");
      EXPECT_TRUE(checkpoint.ok()) << checkpoint.status();
      EXPECT_EQ(checkpoint->size, response.tree_size());
      return *checkpoint;
    }
    usleep(50'000);
  }
  ADD_FAILURE() << "no checkpoint of " << size << " events";
  return {};
}

grpc::Status Consistency(ServerProcess& server, int64_t first, int64_t second,
                         v1::GetConsistencyProofResponse* response) {
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  v1::GetConsistencyProofRequest request;
  request.set_first_size(first);
  request.set_second_size(second);
  return stub->GetConsistencyProof(&context, request, response);
}

grpc::Status Inclusion(ServerProcess& server, int64_t sequence, int64_t tree_size,
                       v1::GetInclusionProofResponse* response) {
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  v1::GetInclusionProofRequest request;
  request.set_sequence(sequence);
  request.set_tree_size(tree_size);
  return stub->GetInclusionProof(&context, request, response);
}

std::vector<std::string> Hashes(const google::protobuf::RepeatedPtrField<std::string>& hashes) {
  return {hashes.begin(), hashes.end()};
}

TEST(AuditCheckpoints, TwoServersSealingInTurnSignOneConsistentTree) {
  TestDatabase db;
  std::vector<Checkpoint> seen;
  auto a = std::make_unique<ServerProcess>(db.url());
  ServerProcess b(db.url());
  MakeEvents(*a, 5);
  MakeEvents(b, 5);
  seen.push_back(AwaitCheckpoint(b, 10));
  a.reset();  // whichever sealed, b seals from now on
  MakeEvents(b, 7);
  seen.push_back(AwaitCheckpoint(b, 17));
  a = std::make_unique<ServerProcess>(db.url());
  b.Stop(SIGTERM);  // the sealer lock moves to the new a
  MakeEvents(*a, 6);
  seen.push_back(AwaitCheckpoint(*a, 23));
  a = std::make_unique<ServerProcess>(db.url());  // a restart
  MakeEvents(*a, 3);
  seen.push_back(AwaitCheckpoint(*a, 26));

  for (size_t i = 0; i < seen.size(); ++i) {
    for (size_t j = i; j < seen.size(); ++j) {
      v1::GetConsistencyProofResponse proof;
      ASSERT_TRUE(Consistency(*a, seen[i].size, seen[j].size, &proof).ok());
      EXPECT_TRUE(VerifyConsistency(seen[i].size, seen[j].size, seen[i].root, seen[j].root,
                                    Hashes(proof.hashes())))
          << seen[i].size << " → " << seen[j].size;
    }
  }
  // Every event is in the newest tree, proven from its own content.
  for (int64_t sequence = 1; sequence <= seen.back().size; ++sequence) {
    v1::GetInclusionProofResponse proof;
    ASSERT_TRUE(Inclusion(*a, sequence, 0, &proof).ok());
    EXPECT_EQ(proof.tree_size(), seen.back().size);
    EXPECT_TRUE(VerifyInclusion(sequence - 1, proof.tree_size(),
                                AuditLeafHash(FromProto(proof.audit_event())),
                                Hashes(proof.hashes()), seen.back().root))
        << sequence;
  }
}

TEST(AuditCheckpoints, EventsSealedBeforeTheTreeExistedAreBuiltIntoIt) {
  TestDatabase db;
  {
    ServerProcess server(db.url());
    MakeEvents(server, 9);
    AwaitCheckpoint(server, 9);
  }
  // As after an upgrade from a version without the tree: events, but no tree rows.
  db.Exec(
      "SET session_replication_role = replica; DELETE FROM audit_tree; "
      "DELETE FROM audit_checkpoints");
  ServerProcess server(db.url());
  AwaitCheckpoint(server, 9);  // built and signed before anything new happens
  MakeEvents(server, 2);
  AwaitCheckpoint(server, 11);
  const auto result = RunProcess({CliBinary(), "audit", "verify", "--key", TestAuditVerifierKey()},
                                 {"COMPLIANCE_SERVER=" + server.address()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("intact: 11 events verified"), std::string::npos) << result.out;
}

TEST(AuditCheckpoints, BadSizesAreInvalidArgumentsNamingTheField) {
  TestDatabase db;
  ServerProcess server(db.url());
  MakeEvents(server, 3);
  AwaitCheckpoint(server, 3);
  const auto expect_invalid = [](const grpc::Status& status, const std::string& field) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_EQ(status.error_message().rfind(field + ": ", 0), 0u) << status.error_message();
  };
  v1::GetInclusionProofResponse inclusion;
  expect_invalid(Inclusion(server, 0, 3, &inclusion), "sequence");
  expect_invalid(Inclusion(server, 4, 3, &inclusion), "sequence");
  expect_invalid(Inclusion(server, 1, -1, &inclusion), "tree_size");
  expect_invalid(Inclusion(server, 1, 99, &inclusion), "tree_size");
  v1::GetConsistencyProofResponse consistency;
  expect_invalid(Consistency(server, 0, 3, &consistency), "first_size");
  expect_invalid(Consistency(server, 3, 2, &consistency), "first_size");
  expect_invalid(Consistency(server, 1, -2, &consistency), "second_size");
  expect_invalid(Consistency(server, 1, 99, &consistency), "second_size");
  EXPECT_TRUE(Consistency(server, 3, 3, &consistency).ok());
  EXPECT_EQ(consistency.hashes_size(), 0);
}

TEST(AuditCheckpoints, AnEmptyLogHasNoCheckpointYet) {
  TestDatabase db;
  ServerProcess server(db.url());
  auto stub = v1::AuditService::NewStub(server.Channel());
  grpc::ClientContext context;
  v1::GetCheckpointResponse response;
  EXPECT_EQ(stub->GetCheckpoint(&context, {}, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(AuditCheckpoints, ServingNeedsASigningKeyUnlessToldOtherwise) {
  TestDatabase db;
  const auto refused = RunProcess(
      {ServerBinary(), "serve"},
      {"DATABASE_URL=" + db.url(), "COMPLIANCE_AUDIT_SIGNING_KEY=", "COMPLIANCE_LISTEN=127.0.0.1:0",
       "COMPLIANCE_METRICS_LISTEN=127.0.0.1:0", "COMPLIANCE_HTTP_LISTEN=127.0.0.1:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("no audit signing key"), std::string::npos) << refused.err;

  ServerProcess server(db.url(),
                       {"COMPLIANCE_AUDIT_SIGNING_KEY=", "COMPLIANCE_ALLOW_UNSIGNED_AUDIT=true"});
  MakeEvents(server, 2);
  auto stub = v1::AuditService::NewStub(server.Channel());
  const auto give_up = DeadlineIn(20);
  v1::GetCheckpointResponse response;
  while (std::chrono::system_clock::now() < give_up && response.tree_size() < 2) {
    grpc::ClientContext context;
    (void)stub->GetCheckpoint(&context, {}, &response);
    usleep(50'000);
  }
  EXPECT_EQ(response.tree_size(), 2);
  EXPECT_TRUE(ParseCheckpointBody(response.note()).ok()) << response.note();
  EXPECT_FALSE(OpenNote(response.note(), TestAuditVerifierKey()).ok());
}

TEST(AuditCheckpoints, TheKeyCommandsWriteAKeyOnceAndPrintItsVerifierKey) {
  char pattern[] = "/tmp/compliance-key-test.XXXXXX";
  const std::string dir = mkdtemp(pattern);
  const std::string path = dir + "/audit.key";
  const auto created = RunProcess({ServerBinary(), "audit-key", "create", "--name",
                                   "audit.example.com/compliance", "--audit-signing-key", path});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto printed =
      RunProcess({ServerBinary(), "audit-key", "public", "--audit-signing-key", path});
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_EQ(printed.out, created.out);
  EXPECT_EQ(printed.out.rfind("audit.example.com/compliance+", 0), 0u) << printed.out;
  const auto again =
      RunProcess({ServerBinary(), "audit-key", "create", "--audit-signing-key", path});
  EXPECT_NE(again.exit_code, 0);  // never overwrites a key
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace compliance::testing
