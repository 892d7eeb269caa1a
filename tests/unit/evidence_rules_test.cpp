#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "domain/evidence.h"
#include "domain/evidence_plan.h"

namespace compliance {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

EvidenceContent Valid() {
  EvidenceContent c;
  c.requirements = {{"iso27001-2022", "5.1.f"}};
  c.kind = 6;
  c.title = "Security awareness: Alice";
  c.uri = "https://hr.example.com/training/1";
  c.source = "hr-system";
  c.external_id = "alice-2026";
  c.collect_time = kNow - absl::Hours(24);
  return c;
}

std::string ErrorField(const EvidenceContent& c) {
  const auto status = ValidateContent("evidence", c, kNow);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::string message(status.message());
  return message.substr(0, message.find(':'));
}

TEST(EvidenceValidation, AcceptsAValidRecord) {
  EXPECT_TRUE(ValidateContent("evidence", Valid(), kNow).ok());
}

TEST(EvidenceValidation, NamesEveryBadField) {
  auto c = Valid();
  c.requirements.clear();
  EXPECT_EQ(ErrorField(c), "evidence.requirements");
  c = Valid();
  c.requirements.assign(33, {"iso27001-2022", "5.1.a"});
  EXPECT_EQ(ErrorField(c), "evidence.requirements");
  c = Valid();
  c.requirements.push_back(c.requirements[0]);
  EXPECT_EQ(ErrorField(c), "evidence.requirements[1]");
  c = Valid();
  c.kind = 0;
  EXPECT_EQ(ErrorField(c), "evidence.kind");
  c.kind = 12;
  EXPECT_EQ(ErrorField(c), "evidence.kind");
  c = Valid();
  c.title = "";
  EXPECT_EQ(ErrorField(c), "evidence.title");
  c.title = std::string(201, 't');
  EXPECT_EQ(ErrorField(c), "evidence.title");
  c = Valid();
  c.description = std::string(4001, 'd');
  EXPECT_EQ(ErrorField(c), "evidence.description");
  for (const char* uri :
       {"", "relative/path.pdf", "/abs/path", "https://x/a b", ":nothing", "1http://x"}) {
    c = Valid();
    c.uri = uri;
    EXPECT_EQ(ErrorField(c), "evidence.uri") << uri;
  }
  c = Valid();
  c.uri = "https://example.com/" + std::string(2040, 'u');
  EXPECT_EQ(ErrorField(c), "evidence.uri");
  for (const char* sha : {"abc", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                          "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}) {
    c = Valid();
    c.sha256 = sha;
    EXPECT_EQ(ErrorField(c), "evidence.sha256") << sha;
  }
  for (const std::string& source :
       std::vector<std::string>{"HR", "-hr", "hr system", "", std::string(64, 'a')}) {
    c = Valid();
    c.source = source;
    EXPECT_EQ(ErrorField(c), "evidence.source") << source;
  }
  c = Valid();
  c.external_id = std::string(257, 'x');
  EXPECT_EQ(ErrorField(c), "evidence.external_id");
  c = Valid();
  c.collect_time = kNow + absl::Seconds(6);
  EXPECT_EQ(ErrorField(c), "evidence.collect_time");
  c = Valid();
  c.expire_time = c.collect_time;
  EXPECT_EQ(ErrorField(c), "evidence.expire_time");
  c = Valid();
  for (int i = 0; i < 17; ++i) c.labels["k" + std::to_string(i)] = "v";
  EXPECT_EQ(ErrorField(c), "evidence.labels");
  c = Valid();
  c.labels["Bad-Key"] = "v";
  EXPECT_EQ(ErrorField(c), "evidence.labels");
  c = Valid();
  c.labels["team"] = std::string(257, 'v');
  EXPECT_EQ(ErrorField(c), "evidence.labels[team]");
}

TEST(EvidenceValidation, ToleratesFiveSecondsOfSkew) {
  auto c = Valid();
  c.collect_time = kNow + absl::Seconds(5);
  EXPECT_TRUE(ValidateContent("evidence", c, kNow).ok());
}

TEST(ContentHash, IgnoresOrderOfRequirementsAndLabelsButNothingElse) {
  auto a = Valid();
  a.requirements = {{"iso27001-2022", "5.1.f"}, {"iso27001-2022", "5.1.d"}};
  a.labels = {{"x", "1"}, {"y", "2"}};
  auto b = a;
  std::swap(b.requirements[0], b.requirements[1]);
  EXPECT_EQ(ContentHash(a), ContentHash(b));
  b = a;
  b.title += " ";
  EXPECT_NE(ContentHash(a), ContentHash(b));
  b = a;
  b.expire_time = a.collect_time + absl::Hours(1);
  EXPECT_NE(ContentHash(a), ContentHash(b));
  b = a;
  b.labels["x"] = "1 ";
  EXPECT_NE(ContentHash(a), ContentHash(b));
  // Length prefixes keep field boundaries apart.
  b = a;
  a.title = "ab";
  a.description = "c";
  b.title = "a";
  b.description = "bc";
  EXPECT_NE(ContentHash(a), ContentHash(b));
}

TEST(Expiry, FlipsAtExactlyExpireTime) {
  Evidence e;
  e.content = Valid();
  EXPECT_FALSE(IsExpired(e, kNow + absl::Hours(24 * 3650)));
  e.content.expire_time = kNow + absl::Seconds(1);
  EXPECT_FALSE(IsExpired(e, kNow + absl::Seconds(1) - absl::Microseconds(1)));
  EXPECT_TRUE(IsExpired(e, kNow + absl::Seconds(1)));
}

NewEvidence Request(const std::string& external_id, const std::string& title = "t") {
  NewEvidence r;
  r.content = Valid();
  r.content.external_id = external_id;
  r.content.title = title;
  return r;
}

TEST(PlanCreates, DeduplicatesSameContentAndSupersedesChangedContent) {
  const auto same = Request("alice");
  const auto changed = Request("bob", "new title");
  const std::vector<StoredRecord> active = {
      {"id-alice", "hr-system", "alice", ContentHash(same.content), EvidenceState::kActive},
      {"id-bob", "hr-system", "bob", ContentHash(Request("bob").content), EvidenceState::kActive}};
  auto plan = PlanCreates({same, changed, Request("carol")}, {0, 1, 2}, true, active, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ((*plan)[0].existing_id, "id-alice");
  EXPECT_FALSE((*plan)[1].existing_id.has_value());
  EXPECT_EQ((*plan)[1].supersedes, "id-bob");
  EXPECT_FALSE((*plan)[2].existing_id.has_value());
  EXPECT_FALSE((*plan)[2].supersedes.has_value());
}

TEST(PlanCreates, ExplicitTargetsMustExistAndBeActive) {
  auto request = Request("");
  request.supersedes = "gone";
  auto missing = PlanCreates({request}, {0}, false, {}, {});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StartsWith(missing.status().message(), "evidence.supersedes:"));

  std::map<std::string, StoredRecord> targets = {
      {"gone", {"gone", "manual", "", "h", EvidenceState::kWithdrawn}}};
  auto withdrawn = PlanCreates({request}, {0}, false, {}, targets);
  EXPECT_EQ(withdrawn.status().code(), absl::StatusCode::kFailedPrecondition);

  targets["gone"].state = EvidenceState::kActive;
  auto ok = PlanCreates({request}, {0}, false, {}, targets);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0].supersedes, "gone");
}

TEST(PlanCreates, RejectsRepeatsWithinOneBatchNamingTheItem) {
  auto twice = PlanCreates({Request("a"), Request("b"), Request("a")}, {0, 1, 17}, true, {}, {});
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(twice.status().message(), "requests[17].evidence.external_id:"))
      << twice.status();

  auto a = Request("a"), b = Request("b");
  a.request_id = b.request_id = "same";
  auto ids = PlanCreates({a, b}, {0, 1}, true, {}, {});
  EXPECT_TRUE(absl::StartsWith(ids.status().message(), "requests[1].request_id:"));
}

TEST(PlanCreates, RejectsRepeatingARecordThatAnotherItemSupersedes) {
  // Item 0 repeats alice's record unchanged; item 1 (another key) retires it by name. Allowed
  // together, item 0 would be answered with a record that item 1 retires.
  const auto same = Request("alice");
  const std::vector<StoredRecord> active = {
      {"id-alice", "hr-system", "alice", ContentHash(same.content), EvidenceState::kActive}};
  const std::map<std::string, StoredRecord> targets = {{"id-alice", active[0]}};
  auto retiring = Request("alice-renamed");
  retiring.supersedes = "id-alice";

  auto repeated_first = PlanCreates({same, retiring}, {0, 4}, true, active, targets);
  EXPECT_EQ(repeated_first.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(repeated_first.status().message(),
            "requests[4].evidence.supersedes: supersedes evidence/id-alice, which requests[0] "
            "repeats in the same batch");
  auto superseded_first = PlanCreates({retiring, same}, {0, 4}, true, active, targets);
  EXPECT_EQ(superseded_first.status().message(),
            "requests[4].evidence.external_id: repeats evidence/id-alice, which requests[0] "
            "supersedes in the same batch");
}

TEST(RetirableSources, AnIntegratorMayRetireOnlyItsOwnSources) {
  auto request = Request("");
  request.supersedes = "old";
  const std::map<std::string, StoredRecord> targets = {
      {"old", {"old", "finance", "", "h", EvidenceState::kActive}}};
  EXPECT_TRUE(CheckRetirableSources({request}, {0}, false, targets, {}).ok()) << "any caller";
  EXPECT_TRUE(CheckRetirableSources({request}, {0}, false, targets, {"finance"}).ok());
  const auto denied = CheckRetirableSources({Request("x"), request}, {0, 7}, true, targets, {"hr"});
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StartsWith(denied.message(), "requests[7].evidence.supersedes:")) << denied;
}

TEST(Withdrawal, OnlyActiveRecordsAndTheVersionMoves) {
  Evidence e;
  e.id = "e-1";
  e.version = 1;
  EXPECT_TRUE(RequireWithdrawable(e).ok());
  const Evidence withdrawn = Withdrawn(e, "uploaded by mistake");
  EXPECT_EQ(withdrawn.state, EvidenceState::kWithdrawn);
  EXPECT_EQ(withdrawn.withdraw_reason, "uploaded by mistake");
  EXPECT_EQ(withdrawn.version, 2);
  EXPECT_EQ(RequireWithdrawable(withdrawn).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(RequireWithdrawable(withdrawn).message(), "already WITHDRAWN"));
  e.state = EvidenceState::kSuperseded;
  EXPECT_TRUE(absl::StrContains(RequireWithdrawable(e).message(), "SUPERSEDED"));
}

}  // namespace
}  // namespace compliance
