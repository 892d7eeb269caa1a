#include "store/action_store.h"

#include <gtest/gtest.h>

#include "app/action_commands.h"
#include "app/evidence_commands.h"
#include "store/connection_pool.h"
#include "store/evidence_store.h"
#include "store/statements.h"
#include "test_database.h"
#include "test_mutations.h"

namespace compliance::testing {
namespace {

class ActionStoreTest : public ::testing::Test {
 protected:
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }

  ActionFields Fields(absl::Time due) {
    ActionFields f;
    f.requirement = {"iso27001-2022", "5.1.e"};
    f.kind = 1;
    f.title = "Management review";
    f.owner = "ceo@example.com";
    f.due_time = absl::FromUnixMicros(absl::ToUnixMicros(due));
    return f;
  }

  Action Create(const ActionFields& fields, const std::string& request_id = "") {
    auto created = CreateAs(fields, request_id, "hash");
    EXPECT_TRUE(created.ok()) << created.status();
    return created->first;
  }

  // The mutations as the API runs them.
  absl::StatusOr<std::pair<Action, bool>> CreateAs(const ActionFields& fields,
                                                   const std::string& request_id,
                                                   const std::string& hash) {
    return commands_.Create(TesterContext("CreateAction"), fields,
                            RequestKey{request_id, hash, "request_id"}, PlainAuditor<Action>());
  }
  absl::StatusOr<CompletedAction> Complete(const std::string& id, const Completion& completion,
                                           const RequestKey& key = {}) {
    return commands_.Complete(TesterContext("CompleteAction"), id, completion, key, absl::Now(),
                              PlainAuditor<Action>());
  }
  absl::StatusOr<Action> Cancel(const std::string& id, const std::string& reason) {
    return commands_.Cancel(TesterContext("CancelAction"), id, reason, "", PlainAuditor<Action>());
  }
  absl::StatusOr<Action> Update(const std::string& id) {
    return commands_.Update(
        TesterContext("UpdateAction"), id, "", "", [](ActionFields&) { return absl::OkStatus(); },
        PlainAuditor<Action>());
  }

  std::string Evidence() {
    NewEvidence e;
    e.content.requirements = {{"iso27001-2022", "5.1.e"}};
    e.content.kind = 3;
    e.content.title = "Minutes";
    e.content.uri = "https://docs.example.com/minutes";
    e.content.collect_time = absl::Now() - absl::Hours(1);
    return evidence_commands_
        .Create(TesterContext("CreateEvidence"), {e}, false, {},
                {PlainAuditor<::compliance::Evidence>()})
        ->front()
        .evidence.id;
  }

  int Count(const std::string& where) {
    return db_.Value<int>("SELECT count(*) FROM actions WHERE " + where);
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 4, absl::Seconds(10), &PrepareStatements};
  ActionStore store_{pool_};
  ActionCommands commands_{pool_};
  EvidenceStore evidence_{pool_};
  EvidenceCommands evidence_commands_{pool_, evidence_};
  absl::Time now_ = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
};

TEST_F(ActionStoreTest, NotAllowedTransitionsAreFailedPrecondition) {
  const Action a = Create(Fields(now_ + absl::Hours(24)));
  ASSERT_TRUE(Complete(a.id, Completion{}).ok());
  EXPECT_EQ(Complete(a.id, Completion{}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Cancel(a.id, "no").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Update(a.id).status().code(), absl::StatusCode::kFailedPrecondition);

  const Action b = Create(Fields(now_ + absl::Hours(24)));
  ASSERT_TRUE(Cancel(b.id, "not needed this year").ok());
  EXPECT_EQ(Cancel(b.id, "again").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Complete(b.id, Completion{}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.Get(b.id, Deadline())->resolution_note, "not needed this year");
}

TEST_F(ActionStoreTest, RecurrenceOpensExactlyOneSuccessorEvenWhenRetried) {
  auto fields = Fields(now_ - absl::Hours(1));
  fields.recurrence = absl::Hours(24 * 90);
  const Action a = Create(fields);
  Completion completion;
  const absl::Time completed_at = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  completion.complete_time = completed_at;
  RequestKey key{"complete-q4", "h1", "request_id"};
  auto first = Complete(a.id, completion, key);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->next_action.has_value());
  EXPECT_EQ(first->next_action->fields.due_time, completed_at + absl::Hours(24 * 90));
  EXPECT_EQ(first->next_action->state, ActionState::kOpen);
  EXPECT_EQ(first->action.next_action, first->next_action->id);

  auto retried = Complete(a.id, completion, key);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->next_action->id, first->next_action->id);
  EXPECT_EQ(Count("true"), 2);
  EXPECT_EQ(Count("state = 1"), 1);

  key.request_hash = "other";
  EXPECT_EQ(Complete(a.id, completion, key).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(ActionStoreTest, CompletionNeedsActiveEvidenceWhenRequired) {
  auto fields = Fields(now_ + absl::Hours(1));
  fields.evidence_required = true;
  const Action a = Create(fields);
  EXPECT_EQ(Complete(a.id, Completion{}).status().code(), absl::StatusCode::kFailedPrecondition);

  Completion missing;
  missing.evidence = {"00000000-0000-4000-8000-000000000000"};
  EXPECT_EQ(Complete(a.id, missing).status().code(), absl::StatusCode::kNotFound);

  const std::string withdrawn = Evidence();
  ASSERT_TRUE(evidence_commands_
                  .Withdraw(TesterContext("WithdrawEvidence"), withdrawn, "wrong", "",
                            PlainAuditor<::compliance::Evidence>())
                  .ok());
  Completion stale;
  stale.evidence = {withdrawn};
  EXPECT_EQ(Complete(a.id, stale).status().code(), absl::StatusCode::kFailedPrecondition);

  Completion good;
  good.evidence = {Evidence(), Evidence()};
  good.note = "held on 2026-11-20";
  auto done = Complete(a.id, good);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action.state, ActionState::kCompleted);
  EXPECT_EQ(done->action.evidence, good.evidence);
  EXPECT_EQ(done->action.resolution_note, "held on 2026-11-20");
  EXPECT_FALSE(done->next_action.has_value());
}

TEST_F(ActionStoreTest, CreateRetriesAndUnknownRequirements) {
  const Action a = Create(Fields(now_), "create-1");
  auto again = CreateAs(Fields(now_), "create-1", "hash");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->second);
  EXPECT_EQ(again->first.id, a.id);
  EXPECT_EQ(CreateAs(Fields(now_), "create-1", "other").status().code(),
            absl::StatusCode::kAlreadyExists);
  auto fields = Fields(now_);
  fields.requirement.id = "9.9";
  EXPECT_EQ(CreateAs(fields, "", "h").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("true"), 1);
}

TEST_F(ActionStoreTest, ListsSoonestDueFirstAndFiltersOverdue) {
  for (int hours : {5, -2, 3, -1}) Create(Fields(now_ + absl::Hours(hours)));
  bool more = false;
  auto all = store_.List(ActionFilter{}, std::nullopt, 50, now_, Deadline(), &more);
  ASSERT_EQ(all->size(), 4u);
  for (size_t i = 1; i < all->size(); ++i) {
    EXPECT_LE((*all)[i - 1].fields.due_time, (*all)[i].fields.due_time);
  }
  ActionFilter overdue;
  overdue.overdue_only = true;
  EXPECT_EQ(store_.List(overdue, std::nullopt, 50, now_, Deadline(), &more)->size(), 2u);
  // Strictly past due (api.md: due_time < now): the one due at exactly +3 h joins a
  // microsecond later.
  EXPECT_EQ(
      store_.List(overdue, std::nullopt, 50, now_ + absl::Hours(3), Deadline(), &more)->size(), 2u);
  const absl::Time just_after = now_ + absl::Hours(3) + absl::Microseconds(1);
  EXPECT_EQ(store_.List(overdue, std::nullopt, 50, just_after, Deadline(), &more)->size(), 3u);
  std::optional<TimeCursor> cursor;
  int seen = 0;
  do {
    auto page = store_.List(ActionFilter{}, cursor, 3, now_, Deadline(), &more);
    seen += static_cast<int>(page->size());
    cursor = TimeCursor{page->back().fields.due_time, page->back().id};
  } while (more);
  EXPECT_EQ(seen, 4);
}

}  // namespace
}  // namespace compliance::testing
