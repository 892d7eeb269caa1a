#include "store/action_store.h"

#include <gtest/gtest.h>

#include "store/connection_pool.h"
#include "store/evidence_store.h"
#include "store/statements.h"
#include "test_database.h"

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
    auto created = store_.Create(fields, request_id, "hash", "tester", Deadline());
    EXPECT_TRUE(created.ok()) << created.status();
    return created->first;
  }

  std::string Evidence() {
    NewEvidence e;
    e.content.requirements = {{"iso27001-2022", "5.1.e"}};
    e.content.kind = 3;
    e.content.title = "Minutes";
    e.content.uri = "https://docs.example.com/minutes";
    e.content.collect_time = absl::Now() - absl::Hours(1);
    return evidence_.Create({e}, false, "tester", absl::Now(), Deadline())->front().evidence.id;
  }

  int Count(const std::string& where) {
    return db_.Exec("SELECT count(*) FROM actions WHERE " + where)[0][0].as<int>();
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 4, absl::Seconds(10), &PrepareStatements};
  ActionStore store_{pool_};
  EvidenceStore evidence_{pool_};
  absl::Time now_ = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
};

TEST_F(ActionStoreTest, NotAllowedTransitionsAreFailedPrecondition) {
  const Action a = Create(Fields(now_ + absl::Hours(24)));
  ASSERT_TRUE(store_.Complete(a.id, Completion{}, "tester", absl::Now(), Deadline()).ok());
  EXPECT_EQ(store_.Complete(a.id, Completion{}, "tester", absl::Now(), Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.Cancel(a.id, "no", "", Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const auto update = [](Action& current) { return RequireOpen(current, "updated"); };
  EXPECT_EQ(store_.Update(a.id, update, Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);

  const Action b = Create(Fields(now_ + absl::Hours(24)));
  ASSERT_TRUE(store_.Cancel(b.id, "not needed this year", "", Deadline()).ok());
  EXPECT_EQ(store_.Cancel(b.id, "again", "", Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.Complete(b.id, Completion{}, "tester", absl::Now(), Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.Get(b.id, Deadline())->resolution_note, "not needed this year");
}

TEST_F(ActionStoreTest, RecurrenceOpensExactlyOneSuccessorEvenWhenRetried) {
  auto fields = Fields(now_ - absl::Hours(1));
  fields.recurrence = absl::Hours(24 * 90);
  const Action a = Create(fields);
  Completion completion;
  const absl::Time completed_at = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  completion.complete_time = completed_at;
  completion.request_id = "complete-q4";
  completion.request_hash = "h1";
  auto first = store_.Complete(a.id, completion, "tester", absl::Now(), Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->next_action.has_value());
  EXPECT_EQ(first->next_action->fields.due_time, completed_at + absl::Hours(24 * 90));
  EXPECT_EQ(first->next_action->state, ActionState::kOpen);
  EXPECT_EQ(first->action.next_action, first->next_action->id);

  auto retried = store_.Complete(a.id, completion, "tester", absl::Now(), Deadline());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->next_action->id, first->next_action->id);
  EXPECT_EQ(Count("true"), 2);
  EXPECT_EQ(Count("state = 1"), 1);

  completion.request_hash = "other";
  EXPECT_EQ(store_.Complete(a.id, completion, "tester", absl::Now(), Deadline()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ActionStoreTest, CompletionNeedsActiveEvidenceWhenRequired) {
  auto fields = Fields(now_ + absl::Hours(1));
  fields.evidence_required = true;
  const Action a = Create(fields);
  EXPECT_EQ(store_.Complete(a.id, Completion{}, "tester", absl::Now(), Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);

  Completion missing;
  missing.evidence = {"00000000-0000-4000-8000-000000000000"};
  EXPECT_EQ(store_.Complete(a.id, missing, "tester", absl::Now(), Deadline()).status().code(),
            absl::StatusCode::kNotFound);

  const std::string withdrawn = Evidence();
  ASSERT_TRUE(evidence_
                  .Withdraw(
                      withdrawn, "wrong", [](const auto&) { return absl::OkStatus(); }, Deadline())
                  .ok());
  Completion stale;
  stale.evidence = {withdrawn};
  EXPECT_EQ(store_.Complete(a.id, stale, "tester", absl::Now(), Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);

  Completion good;
  good.evidence = {Evidence(), Evidence()};
  good.note = "held on 2026-11-20";
  auto done = store_.Complete(a.id, good, "tester", absl::Now(), Deadline());
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->action.state, ActionState::kCompleted);
  EXPECT_EQ(done->action.evidence, good.evidence);
  EXPECT_EQ(done->action.resolution_note, "held on 2026-11-20");
  EXPECT_FALSE(done->next_action.has_value());
}

TEST_F(ActionStoreTest, CreateRetriesAndUnknownRequirements) {
  const Action a = Create(Fields(now_), "create-1");
  auto again = store_.Create(Fields(now_), "create-1", "hash", "tester", Deadline());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->second);
  EXPECT_EQ(again->first.id, a.id);
  EXPECT_EQ(store_.Create(Fields(now_), "create-1", "other", "tester", Deadline()).status().code(),
            absl::StatusCode::kAlreadyExists);
  auto fields = Fields(now_);
  fields.requirement.id = "9.9";
  EXPECT_EQ(store_.Create(fields, "", "h", "tester", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
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
  EXPECT_EQ(
      store_.List(overdue, std::nullopt, 50, now_ + absl::Hours(3), Deadline(), &more)->size(),
      3u);  // due exactly now counts
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
