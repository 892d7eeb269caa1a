#include "store/idempotency_store.h"

#include "store/transaction.h"

namespace compliance {
namespace {

constexpr char kPurge[] = "idempotency_purge";
constexpr char kPurgeSql[] =
    "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY("
    "  SELECT ctid FROM idempotency_keys WHERE create_time < us_to_ts($1)"
    "  ORDER BY create_time LIMIT $2 FOR UPDATE SKIP LOCKED))";

}  // namespace

void IdempotencyStore::Prepare(pqxx::connection& connection) {
  connection.prepare(kPurge, kPurgeSql);
}

absl::StatusOr<int> IdempotencyStore::Purge(absl::Time before, int limit, absl::Time deadline) {
  return RunTransaction<int>(pool_, deadline, [&](pqxx::work& work) -> absl::StatusOr<int> {
    return static_cast<int>(
        work.exec_prepared(kPurge, absl::ToUnixMicros(before), limit).affected_rows());
  });
}

}  // namespace compliance
