#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

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

  ConnectionPool(std::string database_url, int size, absl::Duration acquire_timeout,
                 Initializer initializer);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  /// Exclusive use of one connection; returns it to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& connection() { return *connection_; }
    /// Marks the connection as broken: it is closed instead of returned.
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
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

 private:
  void Release(std::unique_ptr<pqxx::connection> connection, bool discard);

  const std::string database_url_;
  const int size_;
  const absl::Duration acquire_timeout_;
  const Initializer initializer_;

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int leased_ = 0;
  int connecting_ = 0;
  int waiting_ = 0;
};

}  // namespace compliance
