#include "store/connection_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace compliance {

ConnectionPool::ConnectionPool(std::string database_url, int size, absl::Duration acquire_timeout,
                               Initializer initializer, DegradedCounts* degraded)
    : database_url_(std::move(database_url)),
      size_(std::max(1, size)),
      acquire_timeout_(acquire_timeout),
      initializer_(std::move(initializer)),
      degraded_(degraded) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), pooled_(std::move(other.pooled_)), discard_(other.discard_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(pooled_), discard_);
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(absl::Time deadline) {
  deadline = std::min(deadline, absl::Now() + acquire_timeout_);
  {
    absl::MutexLock lock(&mutex_);
    ++waiting_;
    const bool got_slot =
        mutex_.AwaitWithDeadline(absl::Condition(this, &ConnectionPool::HasSlot), deadline);
    --waiting_;
    if (!got_slot) {
      CountDegraded(degraded_, DegradedPath::kPoolTimeout);
      return absl::UnavailableError("database: no connection became free in time; retry");
    }
    if (!idle_.empty()) {
      Pooled pooled = std::move(idle_.back());
      idle_.pop_back();
      ++leased_;
      return Lease(this, std::move(pooled));
    }
    ++connecting_;  // the slot is ours; connecting can take a while, outside the lock
  }
  std::unique_ptr<pqxx::connection> connection;
  std::string error;
  try {
    connection = std::make_unique<pqxx::connection>(database_url_);
    if (initializer_) initializer_(*connection);
  } catch (const std::exception& e) {
    error = e.what();
    connection.reset();
  }
  {
    absl::MutexLock lock(&mutex_);
    --connecting_;
    if (connection) ++leased_;
  }
  if (!connection) {
    spdlog::warn("database connection failed: {}", error);
    CountDegraded(degraded_, DegradedPath::kDatabaseUnreachable);
    return absl::UnavailableError("database: unreachable; retry later");
  }
  return Lease(this, Pooled{std::move(connection)});
}

void ConnectionPool::Release(Pooled pooled, bool discard) {
  {
    absl::MutexLock lock(&mutex_);
    --leased_;
    if (pooled.connection && !discard && pooled.connection->is_open()) {
      idle_.push_back(std::move(pooled));
    }
  }
  if (discard) CountDegraded(degraded_, DegradedPath::kConnectionLost);
  // A discarded connection is closed here, after the lock is released.
}

void ConnectionPool::DiscardIdle() {
  std::vector<Pooled> closing;
  absl::MutexLock lock(&mutex_);
  closing.swap(idle_);
  // Declared before the lock, `closing` is closed after the lock is released.
}

PoolStats ConnectionPool::Stats() const {
  absl::MutexLock lock(&mutex_);
  return PoolStats{size_, static_cast<int>(idle_.size()) + leased_, leased_, waiting_};
}

}  // namespace compliance
