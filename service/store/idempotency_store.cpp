#include "store/idempotency_store.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "store/json_rows.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

using nlohmann::json;

constexpr char kPurge[] = "idempotency_purge";
constexpr char kPurgeSql[] =
    "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY("
    "  SELECT ctid FROM idempotency_keys WHERE create_time < us_to_ts($1)"
    "  ORDER BY create_time LIMIT $2 FOR UPDATE SKIP LOCKED))";

// $1 method, $2 actor, $3 [{request_id, hash}] → the request_ids claimed now
constexpr char kClaim[] = "idempotency_claim";
constexpr char kClaimSql[] =
    "INSERT INTO idempotency_keys (method, actor, request_id, request_hash) "
    "SELECT $1, $2, k->>'request_id', k->>'hash' FROM jsonb_array_elements($3::jsonb) k "
    "ON CONFLICT DO NOTHING RETURNING request_id";

// $1 method, $2 actor, $3 [request_id] → what each produced before (one probe per key)
constexpr char kKnown[] = "idempotency_known";
constexpr char kKnownSql[] =
    "SELECT k.request_id, k.request_hash, array_to_json(k.result_ids)::text "
    "FROM jsonb_array_elements_text($3::jsonb) x(request_id), "
    "  LATERAL (SELECT * FROM idempotency_keys k WHERE k.method = $1 AND k.actor = $2"
    "           AND k.request_id = x.request_id OFFSET 0) k";

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::strict);
}

}  // namespace

void IdempotencyStore::Prepare(pqxx::connection& connection) {
  connection.prepare(kPurge, kPurgeSql);
  connection.prepare(kClaim, kClaimSql);
  connection.prepare(kKnown, kKnownSql);
}

absl::StatusOr<Claims> ClaimRequestIds(UnitOfWork& unit, const std::string& method,
                                       const std::string& actor,
                                       const std::vector<RequestKey>& keys) {
  Claims claims(keys.size());
  if (keys.empty()) return claims;
  json claim_rows = json::array();
  json ids = json::array();
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < keys.size(); ++i) {
    claim_rows.push_back({{"request_id", keys[i].request_id}, {"hash", keys[i].request_hash}});
    ids.push_back(keys[i].request_id);
    index_of.emplace(keys[i].request_id, i);
  }
  pqxx::dbtransaction& work = unit.work();
  std::set<std::string> claimed;
  for (const auto& row : work.exec_prepared(kClaim, method, actor, Dump(claim_rows))) {
    claimed.insert(row[0].as<std::string>());
  }
  if (claimed.size() == keys.size()) return claims;
  for (const auto& row : work.exec_prepared(kKnown, method, actor, Dump(ids))) {
    const std::string request_id = row[0].as<std::string>();
    if (claimed.count(request_id) > 0) continue;
    const size_t i = index_of.at(request_id);
    const json results = json::parse(row[2].as<std::string>());
    if (row[1].as<std::string>() != keys[i].request_hash || results.empty()) {
      return absl::AlreadyExistsError(absl::StrCat(keys[i].field, ": \"", request_id,
                                                   "\" was already used for a different request"));
    }
    claims[i] = results.get<std::vector<std::string>>();
  }
  return claims;
}

std::string RequestResultsJson(const std::vector<RequestResult>& results) {
  JsonRows rows;
  for (const auto& result : results) {
    std::string ids = "[";
    for (const auto& id : result.ids) {
      if (ids.size() > 1) ids += ',';
      absl::StrAppend(&ids, "\"", id, "\"");  // uuids: nothing to escape
    }
    ids += ']';
    rows.Row();
    rows.String("request_id", result.request_id);
    rows.Raw("ids", ids);
  }
  return rows.Finish();
}

absl::StatusOr<int> IdempotencyStore::Purge(absl::Time before, int limit, absl::Time deadline) {
  return RunTransaction<int>(
      pool_, deadline, [&](pqxx::dbtransaction& work) -> absl::StatusOr<int> {
        return static_cast<int>(
            work.exec_prepared(kPurge, absl::ToUnixMicros(before), limit).affected_rows());
      });
}

}  // namespace compliance
