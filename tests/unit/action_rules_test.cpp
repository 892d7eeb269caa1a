#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "domain/action.h"

namespace compliance {
namespace {

const absl::Time kDue = absl::FromUnixSeconds(1796000000);

Action Open() {
  Action a;
  a.id = "0b7c6c1e-8f0a-4a53-9d7e-0c6a2b1f9e01";
  a.fields.requirement = {"iso27001-2022", "5.1.e"};
  a.fields.kind = 1;
  a.fields.title = "Management review Q4";
  a.fields.owner = "ceo@example.com";
  a.fields.due_time = kDue;
  a.create_time = kDue - absl::Hours(24 * 30);
  return a;
}

TEST(Overdue, FlipsJustAfterTheDueTime) {
  const Action a = Open();
  EXPECT_FALSE(IsOverdue(a, kDue - absl::Seconds(1)));
  EXPECT_FALSE(IsOverdue(a, kDue - absl::Microseconds(1)));
  EXPECT_FALSE(IsOverdue(a, kDue));
  EXPECT_TRUE(IsOverdue(a, kDue + absl::Microseconds(1)));
  Action done = a;
  done.state = ActionState::kCompleted;
  EXPECT_FALSE(IsOverdue(done, kDue + absl::Hours(1)));
  done.state = ActionState::kCancelled;
  EXPECT_FALSE(IsOverdue(done, kDue + absl::Hours(1)));
}

TEST(ActionFields, NamesTheBadField) {
  auto field = [](ActionFields f) {
    const auto s = ValidateActionFields("action", f);
    return std::string(s.message().substr(0, s.message().find(':')));
  };
  auto f = Open().fields;
  EXPECT_TRUE(ValidateActionFields("action", f).ok());
  f.kind = 0;
  EXPECT_EQ(field(f), "action.kind");
  f = Open().fields;
  f.kind = 10;
  EXPECT_EQ(field(f), "action.kind");
  f = Open().fields;
  f.title = "";
  EXPECT_EQ(field(f), "action.title");
  f = Open().fields;
  f.owner = "";
  EXPECT_EQ(field(f), "action.owner");
  f = Open().fields;
  f.description = std::string(4001, 'd');
  EXPECT_EQ(field(f), "action.description");
  f = Open().fields;
  f.recurrence = absl::Hours(23);
  EXPECT_EQ(field(f), "action.recurrence");
  f.recurrence = absl::Hours(24);
  EXPECT_TRUE(ValidateActionFields("action", f).ok());
}

TEST(Completion, ChecksTimeAndRequiredEvidence) {
  Action a = Open();
  const absl::Time now = kDue + absl::Hours(1);
  EXPECT_TRUE(ValidateCompletion(a, now, 0, now).ok());
  EXPECT_TRUE(absl::StartsWith(ValidateCompletion(a, now + absl::Seconds(6), 0, now).message(),
                               "complete_time:"));
  EXPECT_TRUE(absl::StartsWith(
      ValidateCompletion(a, a.create_time - absl::Seconds(1), 0, now).message(), "complete_time:"));
  a.fields.evidence_required = true;
  EXPECT_EQ(ValidateCompletion(a, now, 0, now).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ValidateCompletion(a, now, 1, now).ok());
}

TEST(Transitions, OnlyOpenActionsMove) {
  Action a = Open();
  EXPECT_TRUE(RequireOpen(a, "completed").ok());
  a.state = ActionState::kCancelled;
  const auto status = RequireOpen(a, "completed");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(status.message(), "CANCELLED"));
}

TEST(Successor, IsDueOneRecurrenceAfterCompletion) {
  Action a = Open();
  a.fields.recurrence = absl::Hours(24 * 90);
  const absl::Time completed = kDue + absl::Hours(5);
  const ActionFields next = Successor(a, completed);
  EXPECT_EQ(next.due_time, completed + absl::Hours(24 * 90));
  EXPECT_EQ(next.title, a.fields.title);
  EXPECT_EQ(next.recurrence, a.fields.recurrence);
}

TEST(CompletionEvidence, MustExistAndBeActiveNamingTheItem) {
  const std::vector<std::string> ids = {"e-1", "e-2"};
  EXPECT_TRUE(CheckCompletionEvidence({}, {}).ok());
  EXPECT_TRUE(CheckCompletionEvidence(
                  ids, {{"e-1", EvidenceState::kActive}, {"e-2", EvidenceState::kActive}})
                  .ok());
  const auto missing = CheckCompletionEvidence(ids, {{"e-1", EvidenceState::kActive}});
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StartsWith(missing.message(), "evidence[1]: evidence/e-2")) << missing;
  const auto stale = CheckCompletionEvidence(
      ids, {{"e-1", EvidenceState::kWithdrawn}, {"e-2", EvidenceState::kActive}});
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(stale.message(), "evidence[0]:")) << stale;
}

}  // namespace
}  // namespace compliance
