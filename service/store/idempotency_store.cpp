#include "store/idempotency_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "store/transaction.h"

namespace compliance {
namespace {

constexpr char kPurge[] = "idempotency_purge";
constexpr char kPurgeSql[] =
    "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY("
    "  SELECT ctid FROM idempotency_keys WHERE create_time < us_to_ts($1)"
    "  ORDER BY create_time LIMIT $2 FOR UPDATE SKIP LOCKED))";

constexpr char kClaim[] = "idempotency_claim";
constexpr char kClaimSql[] =
    "INSERT INTO idempotency_keys (method, actor, request_id, request_hash) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

constexpr char kKnown[] = "idempotency_known";
constexpr char kKnownSql[] =
    "SELECT request_hash, array_to_json(result_ids)::text FROM idempotency_keys "
    "WHERE method = $1 AND actor = $2 AND request_id = $3";

constexpr char kRecord[] = "idempotency_record";
constexpr char kRecordSql[] =
    "UPDATE idempotency_keys SET result_ids = (SELECT array_agg(x::uuid) "
    "  FROM jsonb_array_elements_text($4::jsonb) x) "
    "WHERE method = $1 AND actor = $2 AND request_id = $3";

}  // namespace

void IdempotencyStore::Prepare(pqxx::connection& connection) {
  connection.prepare(kPurge, kPurgeSql);
  connection.prepare(kClaim, kClaimSql);
  connection.prepare(kKnown, kKnownSql);
  connection.prepare(kRecord, kRecordSql);
}

absl::StatusOr<std::optional<std::vector<std::string>>> ClaimRequestId(
    pqxx::work& work, const std::string& method, const std::string& actor,
    const std::string& request_id, const std::string& request_hash, const std::string& field) {
  if (work.exec_prepared(kClaim, method, actor, request_id, request_hash).affected_rows() == 1) {
    return std::optional<std::vector<std::string>>();
  }
  const auto known = work.exec_prepared1(kKnown, method, actor, request_id);
  const auto ids = nlohmann::json::parse(known[1].as<std::string>());
  if (known[0].as<std::string>() != request_hash || ids.empty()) {
    return absl::AlreadyExistsError(
        absl::StrCat(field, ": \"", request_id, "\" was already used for a different request"));
  }
  return std::optional<std::vector<std::string>>(ids.get<std::vector<std::string>>());
}

void RecordRequestResult(pqxx::work& work, const std::string& method, const std::string& actor,
                         const std::string& request_id, const std::vector<std::string>& ids) {
  work.exec_prepared0(kRecord, method, actor, request_id, nlohmann::json(ids).dump());
}

absl::StatusOr<int> IdempotencyStore::Purge(absl::Time before, int limit, absl::Time deadline) {
  return RunTransaction<int>(pool_, deadline, [&](pqxx::work& work) -> absl::StatusOr<int> {
    return static_cast<int>(
        work.exec_prepared(kPurge, absl::ToUnixMicros(before), limit).affected_rows());
  });
}

}  // namespace compliance
