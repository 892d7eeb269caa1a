#include "store/webhook_delivery_store.h"

#include <nlohmann/json.hpp>

#include "store/transaction.h"

namespace compliance {
namespace {

using nlohmann::json;

constexpr char kClaim[] = "webhook_claim";
constexpr char kClaimSql[] =
    "UPDATE webhooks w SET lease_owner = $1,"
    "  lease_expire_time = now() + $2 * interval '1 microsecond' "
    "WHERE w.id IN (SELECT id FROM webhooks WHERE state = 1"
    "  AND (lease_owner IS NULL OR lease_expire_time < now() OR lease_owner = $1)"
    "  AND NOT id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::jsonb)::uuid))"
    "  ORDER BY create_time, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
    "RETURNING w.id::text";
constexpr char kRenew[] = "webhook_renew";
constexpr char kRenewSql[] =
    "UPDATE webhooks w SET lease_expire_time = now() + $3 * interval '1 microsecond' "
    "WHERE w.id = $1::uuid AND w.lease_owner = $2 AND w.state = 1 "
    "RETURNING w.url, w.resource_prefix, array_to_json(w.methods)::text, w.secret,"
    "  CASE WHEN w.previous_secret_expire_time > now() THEN w.previous_secret END,"
    "  w.delivered_sequence, w.failed_attempts, ts_to_us(w.first_failure_time),"
    "  ts_to_us(w.next_attempt_time)";
// The cursor moves after every delivery, so it does not wait for its WAL flush
// (synchronous_commit off for this statement's own transaction): a crash of PostgreSQL itself
// may lose the last moves, which only sends those events again, with the same webhook-id; a
// crash of the server loses nothing.
constexpr char kProgress[] = "webhook_progress";
constexpr char kProgressSql[] =
    "UPDATE webhooks SET delivered_sequence = greatest(delivered_sequence, $3),"
    "  last_delivery_time = CASE WHEN $4 THEN now() ELSE last_delivery_time END,"
    "  failed_attempts = CASE WHEN $4 THEN 0 ELSE failed_attempts END,"
    "  first_failure_time = CASE WHEN $4 THEN NULL ELSE first_failure_time END,"
    "  last_error = CASE WHEN $4 THEN '' ELSE last_error END,"
    "  next_attempt_time = CASE WHEN $4 THEN NULL ELSE next_attempt_time END "
    "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed "
    "WHERE id = $1::uuid AND lease_owner = $2 AND state = 1 RETURNING 1";
constexpr char kFailure[] = "webhook_failure";
constexpr char kFailureSql[] =
    "UPDATE webhooks SET failed_attempts = $3, first_failure_time = us_to_ts($4),"
    "  last_error = $5, next_attempt_time = us_to_ts($6),"
    "  state = CASE WHEN $7 THEN 2 ELSE 1 END, pause_reason = CASE WHEN $7 THEN $8 ELSE '' END,"
    "  pause_time = CASE WHEN $7 THEN now() END,"
    "  lease_owner = CASE WHEN $7 THEN NULL ELSE lease_owner END,"
    "  lease_expire_time = CASE WHEN $7 THEN NULL ELSE lease_expire_time END "
    "WHERE id = $1::uuid AND lease_owner = $2 AND state = 1 RETURNING 1";
constexpr char kRelease[] = "webhook_release";
constexpr char kReleaseSql[] =
    "UPDATE webhooks SET lease_owner = NULL, lease_expire_time = NULL "
    "WHERE id = $1::uuid AND lease_owner = $2";
constexpr char kLags[] = "webhook_lags";
constexpr char kLagsSql[] =
    "SELECT w.id::text, w.state,"
    "  greatest((SELECT coalesce(max(sequence), 0) FROM audit_events) - w.delivered_sequence, 0) "
    "FROM webhooks w ORDER BY w.id";

std::optional<absl::Time> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::FromUnixMicros(field.as<int64_t>());
}

WebhookTarget ReadTarget(const std::string& id, const pqxx::row& row) {
  WebhookTarget target;
  target.id = id;
  target.fields.url = row[0].as<std::string>();
  target.fields.filter.resource_prefix = row[1].as<std::string>();
  target.fields.filter.methods =
      json::parse(row[2].as<std::string>()).get<std::vector<std::string>>();
  target.secrets.push_back(row[3].as<std::string>());
  if (!row[4].is_null()) target.secrets.push_back(row[4].as<std::string>());
  target.delivered_sequence = row[5].as<int64_t>();
  target.failures.failed_attempts = row[6].as<int>();
  target.failures.first_failure_time = OptionalTime(row[7]);
  target.next_attempt_time = OptionalTime(row[8]);
  return target;
}

}  // namespace

void WebhookDeliveryStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {kClaim, kClaimSql},     {kRenew, kRenewSql},     {kProgress, kProgressSql},
      {kFailure, kFailureSql}, {kRelease, kReleaseSql}, {kLags, kLagsSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

absl::StatusOr<std::vector<std::string>> WebhookDeliveryStore::Claim(
    absl::Duration lease, int limit, const std::vector<std::string>& held, absl::Time deadline) {
  return RunRead(
      pool_, deadline,
      [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> ids;
        for (const auto& row : work.exec_prepared(kClaim, owner_, absl::ToInt64Microseconds(lease),
                                                  json(held).dump(), limit)) {
          ids.push_back(row[0].as<std::string>());
        }
        return ids;
      });
}

absl::StatusOr<std::optional<WebhookTarget>> WebhookDeliveryStore::Renew(const std::string& id,
                                                                         absl::Duration lease,
                                                                         absl::Time deadline) {
  return RunRead(pool_, deadline,
                 [&](pqxx::transaction_base& work) -> absl::StatusOr<std::optional<WebhookTarget>> {
                   const auto rows =
                       work.exec_prepared(kRenew, id, owner_, absl::ToInt64Microseconds(lease));
                   if (rows.empty()) return std::nullopt;
                   return ReadTarget(id, rows[0]);
                 });
}

absl::StatusOr<bool> WebhookDeliveryStore::RecordProgress(const std::string& id, int64_t sequence,
                                                          bool delivered, absl::Time deadline) {
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<bool> {
    return !work.exec_prepared(kProgress, id, owner_, sequence, delivered).empty();
  });
}

absl::StatusOr<bool> WebhookDeliveryStore::RecordFailure(const std::string& id,
                                                         const FailureDecision& decision,
                                                         const std::string& error,
                                                         absl::Time deadline) {
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<bool> {
    return !work.exec_prepared(kFailure, id, owner_, decision.failed_attempts,
                               absl::ToUnixMicros(decision.first_failure_time), error,
                               absl::ToUnixMicros(decision.next_attempt_time), decision.pause,
                               decision.pause_reason)
                .empty();
  });
}

absl::Status WebhookDeliveryStore::Release(const std::string& id, absl::Time deadline) {
  return RunRead(pool_, deadline,
                 [&](pqxx::transaction_base& work) -> absl::StatusOr<bool> {
                   work.exec_prepared(kRelease, id, owner_);
                   return true;
                 })
      .status();
}

absl::StatusOr<std::vector<WebhookLag>> WebhookDeliveryStore::Lags(absl::Time deadline) {
  return RunRead(
      pool_, deadline,
      [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<WebhookLag>> {
        std::vector<WebhookLag> lags;
        for (const auto& row : work.exec_prepared(kLags)) {
          lags.push_back({row[0].as<std::string>(), static_cast<WebhookState>(row[1].as<int>()),
                          row[2].as<int64_t>()});
        }
        return lags;
      });
}

}  // namespace compliance
