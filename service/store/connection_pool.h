#pragma once

#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/degraded_counts.h"
#include "store/change_signal.h"

namespace compliance {

/// Point-in-time figures of a pool, for metrics and logs.
struct PoolStats {
  int size = 0;     ///< configured maximum
  int open = 0;     ///< connections currently established
  int in_use = 0;   ///< leased out right now
  int waiting = 0;  ///< callers waiting for a lease
};

/// A fixed-size pool of PostgreSQL connections, handed out one caller at a time with a timed
/// wait. Broken connections are dropped and re-established lazily, so the pool heals by itself
/// when the database returns.
class ConnectionPool {
 public:
  /// Called once on each new connection (to prepare statements).
  using Initializer = std::function<void(pqxx::connection&)>;

  /// Timeouts, failed connections and broken ones are counted in `degraded`, if given.
  ConnectionPool(std::string database_url, int size, absl::Duration acquire_timeout,
                 Initializer initializer, DegradedCounts* degraded = nullptr);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  /// A connection and what the pool remembers of its session.
  struct Pooled {
    std::unique_ptr<pqxx::connection> connection;
    /// The session's statement_timeout as last set (ms, 0 none), -1 when never set.
    int64_t statement_timeout_ms = -1;
  };

  /// Exclusive use of one connection; returns it to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& connection() { return *pooled_.connection; }
    /// The session's statement_timeout, for the caller to read and record.
    int64_t& statement_timeout_ms() { return pooled_.statement_timeout_ms; }
    /// Marks the connection as broken: it is closed instead of returned.
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, Pooled pooled) : pool_(pool), pooled_(std::move(pooled)) {}
    ConnectionPool* pool_;
    Pooled pooled_;
    bool discard_ = false;
  };

  /// Waits until the earlier of `deadline` and the pool's own timeout for a connection.
  /// UNAVAILABLE when none frees up in time or the database cannot be reached.
  absl::StatusOr<Lease> Acquire(absl::Time deadline);

  /// Closes every idle connection: once one is found broken, the others usually are too
  /// (the database restarted), and a fresh connection is cheaper than a failed request.
  void DiscardIdle();

  /// Current figures.
  PoolStats Stats() const;

  /// What changes through this pool's database; RunTransaction signals every commit.
  ChangeSignal& changes() { return changes_; }

 private:
  void Release(Pooled pooled, bool discard);

  const std::string database_url_;
  const int size_;
  const absl::Duration acquire_timeout_;
  const Initializer initializer_;
  DegradedCounts* const degraded_;

  // A caller may take a connection: an idle one, or room to open one.
  bool HasSlot() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return !idle_.empty() || static_cast<int>(idle_.size()) + leased_ + connecting_ < size_;
  }

  mutable absl::Mutex mutex_;
  std::vector<Pooled> idle_ ABSL_GUARDED_BY(mutex_);
  int leased_ ABSL_GUARDED_BY(mutex_) = 0;
  int connecting_ ABSL_GUARDED_BY(mutex_) = 0;
  int waiting_ ABSL_GUARDED_BY(mutex_) = 0;
  ChangeSignal changes_;
};

}  // namespace compliance
