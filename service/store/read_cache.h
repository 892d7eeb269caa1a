#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/clock.h"
#include "store/change_signal.h"

namespace compliance {

/// Results of a read, reused while they are certainly still the answer: nothing was written
/// since (the ChangeSignal's generation is the one the read started under), and the instant
/// asked about lies in [computed_at, valid_until), the span in which no time-dependent figure
/// (an action falling overdue, evidence expiring, a review going stale) flips. `max_age`
/// bounds what a change made outside the service (a restore, a hand edit) can hide; an
/// entry's age is measured on `clock`.
template <typename V>
class ReadCache {
 public:
  ReadCache(const ChangeSignal& changes, absl::Duration max_age, const Clock& clock)
      : changes_(changes), max_age_(max_age), clock_(clock) {}

  /// The generation to pass to Store(), read before the query starts.
  uint64_t Generation() const { return changes_.generation(); }

  /// The answer held for `key`, if it is still certainly the answer at `now`; null
  /// otherwise. Shared, not copied: an answer is read far more often than it is made.
  std::shared_ptr<const V> Find(const std::string& key, absl::Time now) const {
    if (!changes_.listening()) return nullptr;
    absl::MutexLock lock(&mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    const Entry& e = it->second;
    if (e.generation != changes_.generation() || now < e.computed_at || now >= e.valid_until ||
        clock_.Now() - e.stored_at > max_age_) {
      return nullptr;
    }
    return e.value;
  }

  /// Holds `value`, read under `generation`, as the answer for [computed_at, valid_until).
  void Store(const std::string& key, V value, uint64_t generation, absl::Time computed_at,
             absl::Time valid_until) {
    if (!changes_.listening()) return;
    absl::MutexLock lock(&mutex_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // many distinct pages: start over
    entries_.insert_or_assign(key, Entry{std::make_shared<const V>(std::move(value)), generation,
                                         computed_at, valid_until, clock_.Now()});
  }

 private:
  static constexpr size_t kMaxEntries = 1024;
  struct Entry {
    std::shared_ptr<const V> value;
    uint64_t generation;
    absl::Time computed_at;
    absl::Time valid_until;
    absl::Time stored_at;
  };

  const ChangeSignal& changes_;
  const absl::Duration max_age_;
  const Clock& clock_;
  mutable absl::Mutex mutex_;
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace compliance
