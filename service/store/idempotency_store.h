#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

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

/// Presents one request_id inside the mutation's transaction. nullopt: first use, now claimed
/// (a concurrent first use waits for this transaction); otherwise the ids the earlier request
/// produced. The same id with another `request_hash` is ALREADY_EXISTS naming `field`.
absl::StatusOr<std::optional<std::vector<std::string>>> ClaimRequestId(
    pqxx::work& work, const std::string& method, const std::string& actor,
    const std::string& request_id, const std::string& request_hash, const std::string& field);

/// Records what a claimed request produced, in the same transaction.
void RecordRequestResult(pqxx::work& work, const std::string& method, const std::string& actor,
                         const std::string& request_id, const std::vector<std::string>& ids);

}  // namespace compliance
