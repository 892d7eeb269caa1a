#pragma once

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/connection_pool.h"

namespace compliance {

/// Upkeep of remembered request_ids.
class IdempotencyStore {
 public:
  explicit IdempotencyStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// Forgets up to `limit` keys recorded before `before`, skipping rows other transactions
  /// hold, so that cleaning never waits on or blocks a request. Returns how many went.
  absl::StatusOr<int> Purge(absl::Time before, int limit, absl::Time deadline);

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
