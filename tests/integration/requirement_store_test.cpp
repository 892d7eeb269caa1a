#include "store/requirement_store.h"

#include <gtest/gtest.h>

#include <set>

#include "app/requirement_commands.h"
#include "domain/etag.h"
#include "fake_clock.h"
#include "store/connection_pool.h"
#include "store/statements.h"
#include "test_database.h"
#include "test_mutations.h"

namespace compliance::testing {
namespace {

const RequirementKey kA{"iso27001-2022", "5.1.a"};

class RequirementStoreTest : public ::testing::Test {
 protected:
  absl::Time Deadline() const { return absl::Now() + absl::Seconds(10); }

  // Sets the owner once `etag` matches, as UpdateRequirement does.
  absl::StatusOr<Requirement> SetOwnerIf(const RequirementKey& key, const std::string& etag,
                                         const std::string& owner) {
    RequirementChanges changes;
    changes.owner = owner;
    return commands_.Update(TesterContext("UpdateRequirement"), key, changes, etag, "", now_,
                            PlainAuditor<Requirement>());
  }

  absl::StatusOr<Requirement> Review(const RequirementKey& key, const compliance::Review& review) {
    return commands_.Review(TesterContext("ReviewRequirement"), key,
                            ReviewCommand{review, /*time_given=*/true, ""}, now_,
                            PlainAuditor<Requirement>());
  }

  TestDatabase db_;
  ConnectionPool pool_{db_.url(), 4, absl::Seconds(5), &PrepareStatements};
  FakeClock clock_{absl::Now()};  // ages held answers; the instant asked about is passed in
  RequirementStore store_{pool_, clock_};
  RequirementCommands commands_{pool_};
  absl::Time now_ = absl::Now();
};

TEST_F(RequirementStoreTest, StaleEtagLoses) {
  auto read = store_.Get(kA, now_, Deadline());
  ASSERT_TRUE(read.ok()) << read.status();
  const std::string etag = RequirementEtag(*read);

  auto first = SetOwnerIf(kA, etag, "alice");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_NE(RequirementEtag(*first), etag);

  auto second = SetOwnerIf(kA, etag, "bob");
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_.Get(kA, now_, Deadline())->owner, "alice");
}

TEST_F(RequirementStoreTest, FailedChangeWritesNothing) {
  auto before = store_.Get(kA, now_, Deadline());
  // A review from the future fails the rules after the row was locked and read.
  auto failed =
      Review(kA, {Conformity::kConforming, "half-written", now_ + absl::Hours(1), "alice"});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInvalidArgument);
  auto after = store_.Get(kA, now_, Deadline());
  EXPECT_EQ(after->conformity, before->conformity);
  EXPECT_EQ(after->version, before->version);
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM requirement_reviews"), 0);
}

TEST_F(RequirementStoreTest, UnknownRequirementIsNotFound) {
  EXPECT_EQ(store_.Get({"iso27001-2022", "9.9.z"}, now_, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(SetOwnerIf({"nist", "5.1.a"}, "", "x").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RequirementStoreTest, PaginationVisitsEveryRequirementExactlyOnceInOrder) {
  std::vector<std::string> seen;
  int after = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store_.List(RequirementFilter{}, after, 3, now_, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& r : page->requirements) seen.push_back(r.key.id);
    if (!page->more) break;
    after = page->positions.back();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"5.1.a", "5.1.b", "5.1.c", "5.1.d", "5.1.e", "5.1.f",
                                            "5.1.g", "5.1.h"}));
}

TEST_F(RequirementStoreTest, FiltersByConformityAndOverdueReview) {
  compliance::Review review{Conformity::kConforming, "fine", now_, "alice"};
  ASSERT_TRUE(Review(kA, review).ok());
  RequirementFilter conforming;
  conforming.conformity = Conformity::kConforming;
  auto page = store_.List(conforming, 0, 50, now_, Deadline());
  ASSERT_EQ(page->requirements.size(), 1u);
  EXPECT_EQ(page->requirements[0].key.id, "5.1.a");
  EXPECT_EQ(db_.Value<int>("SELECT count(*) FROM requirement_reviews"), 1);

  // Tracking and the review both began now, with 365-day intervals: nothing is overdue 200
  // days on, everything is 400 days on.
  RequirementFilter overdue;
  overdue.review_overdue_only = true;
  EXPECT_EQ(
      store_.List(overdue, 0, 50, now_ + absl::Hours(24 * 200), Deadline())->requirements.size(),
      0u);
  EXPECT_EQ(
      store_.List(overdue, 0, 50, now_ + absl::Hours(24 * 400), Deadline())->requirements.size(),
      8u);
}

TEST_F(RequirementStoreTest, CountsAreLiveAtTheGivenInstant) {
  const int64_t now_us = absl::ToUnixMicros(now_);
  auto ts = [&](int64_t offset_s) {
    return "us_to_ts(" + std::to_string(now_us + offset_s * 1000000) + ")";
  };
  db_.Exec(
      "WITH e AS (INSERT INTO evidence (kind, title, uri, source, collect_time, expire_time,"
      " content_hash, submitter) VALUES"
      " (1, 'forever', 'https://x/1', 'manual', " +
      ts(-100) +
      ", NULL, 'h1', 't'),"
      " (1, 'expires', 'https://x/2', 'manual', " +
      ts(-100) + ", " + ts(60) +
      ", 'h2', 't')"
      " RETURNING id)"
      " INSERT INTO evidence_requirements (evidence_id, framework, requirement_id, ordinal)"
      " SELECT id, 'iso27001-2022', '5.1.a', 0 FROM e");
  db_.Exec(
      "INSERT INTO actions (framework, requirement_id, kind, title, owner, due_time, state) VALUES"
      " ('iso27001-2022', '5.1.a', 1, 'review', 'ceo', " +
      ts(30) +
      ", 1),"
      " ('iso27001-2022', '5.1.a', 1, 'late', 'ceo', " +
      ts(-30) +
      ", 1),"
      " ('iso27001-2022', '5.1.a', 1, 'done', 'ceo', " +
      ts(-90) + ", 2)");

  auto now = store_.Get(kA, now_, Deadline());
  EXPECT_EQ(now->valid_evidence_count, 2);
  EXPECT_EQ(now->open_action_count, 2);
  EXPECT_EQ(now->overdue_action_count, 1);

  auto later = store_.Get(kA, now_ + absl::Seconds(60), Deadline());
  EXPECT_EQ(later->valid_evidence_count, 1);  // expired at exactly its expire_time
  EXPECT_EQ(store_.Get(kA, now_ + absl::Seconds(60) - absl::Microseconds(1), Deadline())
                ->valid_evidence_count,
            2);

  // Overdue is strictly past due (api.md: due_time < now): not at the due time itself, but
  // one microsecond on, even though the answer at the due time was cached.
  auto due = store_.Get(kA, now_ + absl::Seconds(30), Deadline());
  EXPECT_EQ(due->overdue_action_count, 1);
  EXPECT_EQ(due->open_action_count, 2);
  auto past_due = store_.Get(kA, now_ + absl::Seconds(30) + absl::Microseconds(1), Deadline());
  EXPECT_EQ(past_due->overdue_action_count, 2);
}

// In the server the audit worker's listener vouches for the cache; here the test does, so
// that reads are held in memory as they are there.
TEST_F(RequirementStoreTest, AHeldAnswerYieldsAtTheInstantAnActionFallsOverdue) {
  pool_.changes().SetListening(true);
  const absl::Time due = now_ + absl::Seconds(30);
  db_.Exec(
      "INSERT INTO actions (framework, requirement_id, kind, title, owner, due_time, state) "
      "VALUES ('iso27001-2022', '5.1.a', 1, 'review', 'ceo', us_to_ts(" +
      std::to_string(absl::ToUnixMicros(due)) + "), 1)");
  ASSERT_EQ(store_.Get(kA, now_, Deadline())->overdue_action_count, 0);

  const auto held = store_.GetFromMemory(kA, due);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->overdue_action_count, 0);  // due, not yet overdue
  const absl::Time overdue = due + absl::Microseconds(1);
  EXPECT_EQ(store_.GetFromMemory(kA, overdue), nullptr) << "that instant alone ends it";
  EXPECT_EQ(store_.Get(kA, overdue, Deadline())->overdue_action_count, 1);
}

TEST_F(RequirementStoreTest, AHeldAnswerAgesOnTheInjectedClockAlone) {
  pool_.changes().SetListening(true);
  ASSERT_EQ(store_.Get(kA, now_, Deadline())->owner, "");
  // Behind the store's back (a restore, a hand edit): no change is signalled.
  db_.Exec("UPDATE requirements SET owner = 'hand-edit' WHERE requirement_id = '5.1.a'");
  // Asked about an hour later (no figure flips before the yearly review) but no older: held.
  EXPECT_EQ(store_.Get(kA, now_ + absl::Hours(1), Deadline())->owner, "");
  clock_.Advance(absl::Minutes(1));  // far beyond the store's limit on age
  EXPECT_EQ(store_.Get(kA, now_ + absl::Hours(1), Deadline())->owner, "hand-edit");
}

}  // namespace
}  // namespace compliance::testing
