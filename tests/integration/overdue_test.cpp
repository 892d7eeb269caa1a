// One definition of "overdue" (api.md: `due_time < now`, `next_review_time < now`): the
// domain's rules and every statement that restates them in SQL agree at the exact instant.
#include <gtest/gtest.h>

#include "app/action_commands.h"
#include "domain/action.h"
#include "domain/requirement.h"
#include "fake_clock.h"
#include "store/action_store.h"
#include "store/connection_pool.h"
#include "store/requirement_store.h"
#include "store/statements.h"
#include "store/status_store.h"
#include "test_database.h"
#include "test_mutations.h"

namespace compliance::testing {
namespace {

const RequirementKey kE{"iso27001-2022", "5.1.e"};

class OverdueTest : public ::testing::Test {
 protected:
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(30); }

  // The number of overdue actions of 5.1.e as each reader sees it at `now`.
  struct Views {
    bool domain;
    size_t listed;
    int32_t requirement_count;
    int32_t snapshot_count;
  };
  Views At(const Action& action, absl::Time now) {
    ActionFilter overdue;
    overdue.overdue_only = true;
    bool more = false;
    Views v;
    v.domain = IsOverdue(action, now);
    v.listed = actions_.List(overdue, std::nullopt, 50, now, Deadline(), &more)->size();
    v.requirement_count = requirements_.Get(kE, now, Deadline())->overdue_action_count;
    auto snapshot = status_.Snapshot("iso27001-2022", "", now, Deadline());
    for (const auto& r : snapshot->requirements) {
      if (r.requirement.key.id == kE.id) v.snapshot_count = r.requirement.overdue_action_count;
    }
    return v;
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 4, absl::Seconds(5), &PrepareStatements};
  ActionStore actions_{pool_};
  FakeClock clock_{absl::Now()};  // no listener runs here, so no read is held to age
  RequirementStore requirements_{pool_, clock_};
  StatusStore status_{pool_};
};

TEST_F(OverdueTest, AnActionIsOverdueJustAfterItsDueTimeInEveryView) {
  const absl::Time due = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now() + absl::Hours(1)));
  ActionFields fields;
  fields.requirement = kE;
  fields.kind = 1;
  fields.title = "Management review";
  fields.owner = "ceo@example.com";
  fields.due_time = due;
  auto created = ActionCommands(pool_).Create(TesterContext("CreateAction"), fields, {},
                                              PlainAuditor<Action>());
  ASSERT_TRUE(created.ok()) << created.status();
  const Action& action = created->first;

  for (absl::Time now : {due - absl::Microseconds(1), due}) {
    const Views v = At(action, now);
    EXPECT_FALSE(v.domain) << now;
    EXPECT_EQ(v.listed, 0u) << now;
    EXPECT_EQ(v.requirement_count, 0) << now;
    EXPECT_EQ(v.snapshot_count, 0) << now;
  }
  const Views v = At(action, due + absl::Microseconds(1));
  EXPECT_TRUE(v.domain);
  EXPECT_EQ(v.listed, 1u);
  EXPECT_EQ(v.requirement_count, 1);
  EXPECT_EQ(v.snapshot_count, 1);
}

TEST_F(OverdueTest, AReviewIsOverdueJustAfterItFallsDue) {
  // 5.1.a's next review falls due at exactly `due`.
  const int64_t due_us = absl::ToUnixMicros(absl::Now() + absl::Hours(1));
  db_.Exec("UPDATE requirements SET last_review_time = us_to_ts(" + std::to_string(due_us) +
           " - review_interval_us) WHERE requirement_id = '5.1.a'");
  const absl::Time due = absl::FromUnixMicros(due_us);
  RequirementFilter stale;
  stale.review_overdue_only = true;
  for (absl::Time now : {due, due + absl::Microseconds(1)}) {
    const bool expected = now > due;
    auto listed = requirements_.List(stale, 0, 50, now, Deadline());
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->requirements.size(), expected ? 1u : 0u) << now;
    auto read = requirements_.Get({"iso27001-2022", "5.1.a"}, now, Deadline());
    EXPECT_EQ(NextReviewTime(*read), due);
    EXPECT_EQ(IsReviewOverdue(*read, now), expected) << now;
  }
}

}  // namespace
}  // namespace compliance::testing
