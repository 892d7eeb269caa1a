#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace compliance {

/// How many groups run at once (each on a connection of its own), and how many items one
/// group takes at most. Two groups in flight: one commits (waits for its WAL flush) while the
/// other is written. More groups made smaller ones and fewer records a second on two cores
/// (bench/README.md, change 39: 1, 2, 3, 4 and 8 measured).
struct GroupCommitLimits {
  int groups_in_flight = 2;
  size_t group_size = 32;
};

/// Runs concurrent callers' items several to a transaction, as PostgreSQL's group commit
/// shares one WAL flush among concurrent commits, but one level up: a group shares its round
/// trips and its commit too. A caller arriving while fewer than `groups_in_flight` groups run
/// runs at once (alone, if nobody else waits), so an idle service adds no wait. Otherwise it
/// queues; the oldest waiter leads the next group, taking every waiter that may join it.
///
/// A group's outcome is each of its items' own only when the group succeeds. A failure of an
/// item rolled the whole group back, and each item then runs alone, for exactly the answer
/// it would have had without the others (a bad item costs its group one more transaction
/// each, never a wrong answer). A failure of the database (EveryItems) is every item's.
template <typename Item, typename Result>
class GroupCommit {
 public:
  /// One transaction for all of `items`: a result per item, in order, or one failure.
  using RunGroup =
      std::function<absl::StatusOr<std::vector<Result>>(const std::vector<const Item*>& items)>;
  /// One item on its own: exactly its own outcome.
  using RunAlone = std::function<absl::StatusOr<Result>(const Item& item)>;
  /// Whether `candidate` may join `group` (which holds at least its leader's item).
  using MayJoin = std::function<bool(const Item& candidate, const std::vector<const Item*>& group)>;

  GroupCommit(GroupCommitLimits limits, RunGroup run_group, RunAlone run_alone, MayJoin may_join)
      : limits_(limits),
        run_group_(std::move(run_group)),
        run_alone_(std::move(run_alone)),
        may_join_(std::move(may_join)) {}

  /// Runs `item`, with others or alone; blocks until its outcome is known. A caller still
  /// queued at `deadline` leaves the queue with DEADLINE_EXCEEDED; once a group has taken
  /// it, it waits for the group's outcome.
  absl::StatusOr<Result> Run(const Item& item, absl::Time deadline) {
    Waiter me{&item, std::nullopt, false};
    mutex_.Lock();
    queue_.push_back(&me);
    WaitingFor wait{this, &me};
    if (!mutex_.AwaitWithDeadline(absl::Condition(&WaitingFor::Over, &wait), deadline) &&
        LeaveQueue(&me)) {
      mutex_.Unlock();
      return absl::DeadlineExceededError("deadline exceeded while waiting for a transaction");
    }
    mutex_.Await(absl::Condition(&WaitingFor::Over, &wait));
    if (me.outcome) {
      mutex_.Unlock();
      return *std::move(me.outcome);
    }
    if (me.alone) {
      mutex_.Unlock();
      return run_alone_(item);
    }
    const std::vector<Waiter*> group = TakeGroup();
    ++in_flight_;
    mutex_.Unlock();
    std::vector<std::optional<absl::StatusOr<Result>>> outcomes(group.size());
    {
      // Even if the run throws, the group's place is given back and its followers go on.
      auto hand_out = absl::MakeCleanup([&] { HandOut(group, outcomes); });
      outcomes = RunTaken(group);
    }
    if (outcomes[0]) return *std::move(outcomes[0]);
    return run_alone_(item);
  }

  /// Items waiting for a group to take them.
  size_t Queued() {
    absl::MutexLock lock(&mutex_);
    return queue_.size();
  }

 private:
  struct Waiter {
    const Item* item;
    std::optional<absl::StatusOr<Result>> outcome;  // set when its group succeeded
    bool alone = false;                             // its group failed: it runs on its own
  };

  // The condition a waiter sleeps on: answered, sent off alone, or its turn to lead.
  struct WaitingFor {
    GroupCommit* commit;
    Waiter* waiter;
    static bool Over(WaitingFor* wait) ABSL_EXCLUSIVE_LOCKS_REQUIRED(wait->commit->mutex_) {
      return wait->waiter->outcome || wait->waiter->alone || wait->commit->MayLead(wait->waiter);
    }
  };

  // A place is free and `waiter` is the oldest in the queue.
  bool MayLead(const Waiter* waiter) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return in_flight_ < limits_.groups_in_flight && !queue_.empty() && queue_.front() == waiter;
  }

  // Takes `waiter` out of the queue; false when a group took it first.
  bool LeaveQueue(Waiter* waiter) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    auto it = std::find(queue_.begin(), queue_.end(), waiter);
    if (it == queue_.end()) return false;
    queue_.erase(it);
    return true;
  }

  // The front waiter leads; every later one that may join follows, up to the group's size.
  std::vector<Waiter*> TakeGroup() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    std::vector<Waiter*> group{queue_.front()};
    std::vector<const Item*> items{queue_.front()->item};
    queue_.pop_front();
    for (auto it = queue_.begin(); it != queue_.end() && group.size() < limits_.group_size;) {
      if (may_join_(*(*it)->item, items)) {
        group.push_back(*it);
        items.push_back((*it)->item);
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
    return group;
  }

  // Frees the group's place and answers its followers, or sends them off to run alone.
  void HandOut(const std::vector<Waiter*>& group,
               std::vector<std::optional<absl::StatusOr<Result>>>& outcomes) {
    absl::MutexLock lock(&mutex_);
    --in_flight_;
    for (size_t i = 1; i < group.size(); ++i) {
      if (outcomes[i]) {
        group[i]->outcome = std::move(outcomes[i]);
      } else {
        group[i]->alone = true;
      }
    }
  }

  // A failure of the database rather than of an item is every item's answer: UNAVAILABLE
  // includes a commit whose outcome is unknown, after which running an item again could
  // write it twice. Any other failure rolled the group back and says nothing of the others.
  static bool EveryItems(const absl::Status& status) {
    return status.code() == absl::StatusCode::kUnavailable ||
           status.code() == absl::StatusCode::kInternal ||
           status.code() == absl::StatusCode::kUnknown ||
           status.code() == absl::StatusCode::kResourceExhausted;
  }

  // The outcome of each taken item; when the group failed, the failure for each (if it is
  // every item's) or none (each runs alone).
  std::vector<std::optional<absl::StatusOr<Result>>> RunTaken(const std::vector<Waiter*>& group) {
    std::vector<std::optional<absl::StatusOr<Result>>> outcomes(group.size());
    if (group.size() == 1) {
      outcomes[0] = run_alone_(*group[0]->item);
      return outcomes;
    }
    std::vector<const Item*> items;
    for (const Waiter* waiter : group) items.push_back(waiter->item);
    auto results = run_group_(items);
    if (!results.ok()) {
      if (EveryItems(results.status())) outcomes.assign(group.size(), results.status());
      return outcomes;
    }
    for (size_t i = 0; i < group.size(); ++i) outcomes[i] = std::move((*results)[i]);
    return outcomes;
  }

  const GroupCommitLimits limits_;
  const RunGroup run_group_;
  const RunAlone run_alone_;
  const MayJoin may_join_;
  absl::Mutex mutex_;
  std::deque<Waiter*> queue_ ABSL_GUARDED_BY(mutex_);
  int in_flight_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace compliance
