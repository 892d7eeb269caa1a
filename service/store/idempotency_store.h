#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/connection_pool.h"
#include "store/unit_of_work.h"

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

/// A request_id a mutation presents: the hash of what it asks for, and the field path its
/// errors name ("request_id", "requests[3].request_id").
struct RequestKey {
  std::string request_id;
  std::string request_hash;
  std::string field;
};

/// For each key, in order: nullopt when it is claimed now (a concurrent first use of it waits
/// for this transaction), else the ids the earlier request produced.
using Claims = std::vector<std::optional<std::vector<std::string>>>;

/// Presents request_ids inside the mutation's transaction, all in one round trip (two when
/// some were seen before). A request_id seen with another hash is ALREADY_EXISTS naming its
/// field.
absl::StatusOr<Claims> ClaimRequestIds(UnitOfWork& unit, const std::string& method,
                                       const std::string& actor,
                                       const std::vector<RequestKey>& keys);

/// What a claimed request_id produced, in the order a repeat returns it.
struct RequestResult {
  std::string request_id;
  std::vector<std::string> ids;
};

/// Results as the json array IDEMPOTENCY_RECORD_SQL (store/idempotency_sql.h) reads.
std::string RequestResultsJson(const std::vector<RequestResult>& results);

}  // namespace compliance
