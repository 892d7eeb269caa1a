#include "app/group_commit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include "absl/synchronization/notification.h"

namespace compliance {
namespace {

// Items are numbers; a group's result for an item is 1000 + the item, alone's 2000 + the
// item, and a failure's is minus its code. Every call is recorded. Item 0 runs alone first and
// holds its run until released, so that the test decides what queues behind it.
class Recorded {
 public:
  explicit Recorded(GroupCommitLimits limits)
      : commit_(
            limits,
            [this](const std::vector<const int*>& items) -> absl::StatusOr<std::vector<int>> {
              std::vector<int> group, results;
              for (const int* item : items) group.push_back(*item);
              Record(groups_, group);
              if (group_failure_ != absl::StatusCode::kOk) {
                return absl::Status(group_failure_, "the group failed");
              }
              if (throw_in_groups_) throw std::runtime_error("the group threw");
              for (int item : group) results.push_back(1000 + item);
              return results;
            },
            [this](const int& item) -> absl::StatusOr<int> {
              Record(alone_, {item});
              if (item == 0) release_.WaitForNotification();
              return 2000 + item;
            },
            [this](const int& candidate, const std::vector<const int*>&) {
              return candidate != refused_;
            }) {}

  // Starts item 0, then `items`, and returns once all of `items` wait in the queue.
  void QueueBehindHeldItem(const std::vector<int>& items) {
    Start(0);
    while (Alone().empty()) std::this_thread::yield();
    for (size_t i = 0; i < items.size(); ++i) {
      Start(items[i]);
      while (commit_.Queued() < i + 1) std::this_thread::yield();
    }
  }
  // Runs `item` on the test's thread.
  int RunHere(int item) { return Outcome(commit_.Run(item, absl::InfiniteFuture())); }
  void ReleaseAndJoin() {
    release_.Notify();
    for (auto& thread : threads_) thread.join();
  }

  std::vector<std::vector<int>> Groups() { return Copy(groups_); }
  std::vector<std::vector<int>> Alone() { return Copy(alone_); }
  int Result(int item) { return results_[item].load(); }

  absl::StatusCode group_failure_ = absl::StatusCode::kOk;
  std::map<int, absl::Time> deadlines_;  // of the items that have one
  bool throw_in_groups_ = false;
  int refused_ = -1;

 private:
  void Start(int item) {
    threads_.emplace_back([this, item] {
      try {
        auto deadline = deadlines_.find(item);
        results_[item] = Outcome(commit_.Run(
            item, deadline == deadlines_.end() ? absl::InfiniteFuture() : deadline->second));
      } catch (const std::runtime_error&) {
        results_[item] = -100;
      }
    });
  }
  static int Outcome(const absl::StatusOr<int>& result) {
    return result.ok() ? *result : -static_cast<int>(result.status().code());
  }
  void Record(std::vector<std::vector<int>>& calls, std::vector<int> call) {
    absl::MutexLock lock(&mutex_);
    calls.push_back(std::move(call));
  }
  std::vector<std::vector<int>> Copy(const std::vector<std::vector<int>>& calls) {
    absl::MutexLock lock(&mutex_);
    return calls;
  }

  GroupCommit<int, int> commit_;
  absl::Notification release_;
  std::vector<std::thread> threads_;
  std::atomic<int> results_[16] = {};
  absl::Mutex mutex_;
  std::vector<std::vector<int>> groups_, alone_;
};

using Calls = std::vector<std::vector<int>>;

TEST(GroupCommit, ALoneItemRunsAloneAtOnce) {
  Recorded recorded({1, 32});
  recorded.QueueBehindHeldItem({});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Groups(), Calls{});
  EXPECT_EQ(recorded.Alone(), (Calls{{0}}));
  EXPECT_EQ(recorded.Result(0), 2000);
}

TEST(GroupCommit, ItemsQueuedBehindABusyGroupRunTogetherInArrivalOrder) {
  Recorded recorded({1, 32});
  recorded.QueueBehindHeldItem({1, 2, 3, 4, 5});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Groups(), (Calls{{1, 2, 3, 4, 5}}));
  for (int item = 1; item <= 5; ++item) EXPECT_EQ(recorded.Result(item), 1000 + item);
}

TEST(GroupCommit, AGroupTakesAtMostItsSize) {
  Recorded recorded({1, 2});
  recorded.QueueBehindHeldItem({1, 2, 3, 4, 5});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Groups(), (Calls{{1, 2}, {3, 4}}));
  EXPECT_EQ(recorded.Alone(), (Calls{{0}, {5}}));
}

TEST(GroupCommit, AnItemThatMayNotJoinWaitsForALaterGroup) {
  Recorded recorded({1, 32});
  recorded.refused_ = 3;
  recorded.QueueBehindHeldItem({1, 2, 3, 4});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Groups(), (Calls{{1, 2, 4}}));
  EXPECT_EQ(recorded.Alone(), (Calls{{0}, {3}}));
  EXPECT_EQ(recorded.Result(3), 2003);
}

TEST(GroupCommit, EachItemOfAFailedGroupRunsAloneForItsOwnOutcome) {
  Recorded recorded({1, 32});
  recorded.group_failure_ = absl::StatusCode::kAborted;
  recorded.QueueBehindHeldItem({1, 2, 3});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Groups(), (Calls{{1, 2, 3}}));
  auto alone = recorded.Alone();
  std::sort(alone.begin(), alone.end());
  EXPECT_EQ(alone, (Calls{{0}, {1}, {2}, {3}}));
  for (int item = 1; item <= 3; ++item) EXPECT_EQ(recorded.Result(item), 2000 + item);
}

TEST(GroupCommit, AGroupWhoseRunThrowsFreesItsPlaceAndItsFollowersRunAlone) {
  Recorded recorded({1, 32});
  recorded.throw_in_groups_ = true;
  recorded.QueueBehindHeldItem({1, 2, 3});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Result(1), -100);  // the leader's own call throws
  EXPECT_EQ(recorded.Result(2), 2002);
  EXPECT_EQ(recorded.Result(3), 2003);
  EXPECT_EQ(recorded.RunHere(4), 2004);  // the place is free again
}

TEST(GroupCommit, AFailureOfTheDatabaseIsEveryItemsAnswerAndNoneRunsAgain) {
  // UNAVAILABLE may be a commit whose outcome is unknown: running the items again could
  // write them twice.
  Recorded recorded({1, 32});
  recorded.group_failure_ = absl::StatusCode::kUnavailable;
  recorded.QueueBehindHeldItem({1, 2, 3});
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Alone(), (Calls{{0}}));
  for (int item = 1; item <= 3; ++item) {
    EXPECT_EQ(recorded.Result(item), -static_cast<int>(absl::StatusCode::kUnavailable));
  }
}

TEST(GroupCommit, ACallerStillQueuedAtItsDeadlineLeavesTheQueue) {
  Recorded recorded({1, 32});
  recorded.deadlines_[1] = absl::Now() + absl::Milliseconds(300);
  recorded.QueueBehindHeldItem({2, 1});
  // Item 0 still holds the only place: item 1 gives up while queued, and nothing runs it.
  while (recorded.Result(1) == 0) std::this_thread::yield();
  EXPECT_EQ(recorded.Result(1), -static_cast<int>(absl::StatusCode::kDeadlineExceeded));
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Groups(), Calls{});
  EXPECT_EQ(recorded.Alone(), (Calls{{0}, {2}}));
}

TEST(GroupCommit, RunsAsManyGroupsAtOnceAsItsLimitAllows) {
  Recorded recorded({2, 32});
  recorded.QueueBehindHeldItem({});
  // Item 0 holds one of the two places; item 1 takes the other instead of queuing (with a
  // limit of one it would wait for item 0, and this test would not end).
  EXPECT_EQ(recorded.RunHere(1), 2001);
  recorded.ReleaseAndJoin();
  EXPECT_EQ(recorded.Alone(), (Calls{{0}, {1}}));
}

}  // namespace
}  // namespace compliance
