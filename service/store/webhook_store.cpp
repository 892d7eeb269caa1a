#include "store/webhook_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"
#include "store/webhook_sql.h"

namespace compliance {
namespace {

namespace sql = webhook_sql;
using nlohmann::json;

std::optional<absl::Time> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::FromUnixMicros(field.as<int64_t>());
}

// The secret follows the columns of WEBHOOK_COLUMNS in the statements that read it.
constexpr int kSecretColumn = 17;

absl::StatusOr<WebhookWithSecret> SelectWithSecret(pqxx::transaction_base& work,
                                                   const std::string& id, bool lock) {
  const auto rows = work.exec_prepared(lock ? sql::kSelectForUpdate : sql::kSelect, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("webhooks/", id, " does not exist"));
  return WebhookWithSecret{ReadWebhook(rows[0]), rows[0][kSecretColumn].as<std::string>()};
}

}  // namespace

void WebhookStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {sql::kInsert, sql::kInsertSql},
      {sql::kSelect, sql::kSelectSql},
      {sql::kSelectForUpdate, sql::kSelectForUpdateSql},
      {sql::kList, sql::kListSql},
      {sql::kDelete, sql::kDeleteSql},
      {sql::kRotate, sql::kRotateSql},
      {sql::kResume, sql::kResumeSql},
      {sql::kUpdateFields, sql::kUpdateFieldsSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

Webhook ReadWebhook(const pqxx::row& row) {
  Webhook webhook;
  webhook.id = row[0].as<std::string>();
  webhook.fields.url = row[1].as<std::string>();
  webhook.fields.filter.resource_prefix = row[2].as<std::string>();
  webhook.fields.filter.methods =
      json::parse(row[3].as<std::string>()).get<std::vector<std::string>>();
  webhook.state = static_cast<WebhookState>(row[4].as<int>());
  webhook.pause_reason = row[5].as<std::string>();
  webhook.pause_time = OptionalTime(row[6]);
  webhook.delivered_sequence = row[7].as<int64_t>();
  webhook.last_delivery_time = OptionalTime(row[8]);
  webhook.failed_attempts = row[9].as<int>();
  webhook.first_failure_time = OptionalTime(row[10]);
  webhook.last_error = row[11].as<std::string>();
  webhook.next_attempt_time = OptionalTime(row[12]);
  webhook.create_time = absl::FromUnixMicros(row[13].as<int64_t>());
  webhook.update_time = absl::FromUnixMicros(row[14].as<int64_t>());
  webhook.secret_time = absl::FromUnixMicros(row[15].as<int64_t>());
  webhook.version = row[16].as<int64_t>();
  return webhook;
}

absl::StatusOr<Webhook> WebhookStore::Get(const std::string& id, absl::Time deadline) {
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<Webhook> {
    auto found = SelectWithSecret(work, id, false);
    if (!found.ok()) return found.status();
    return std::move(found->webhook);
  });
}

absl::StatusOr<std::vector<Webhook>> WebhookStore::List(const std::optional<TimeCursor>& after,
                                                        int limit, absl::Time deadline,
                                                        bool* more) {
  return RunRead(pool_, deadline,
                 [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<Webhook>> {
                   std::optional<int64_t> after_us;
                   std::optional<std::string> after_id;
                   if (after) {
                     after_us = absl::ToUnixMicros(after->time);
                     after_id = after->id;
                   }
                   const auto rows = work.exec_prepared(sql::kList, after_us, after_id, limit + 1);
                   std::vector<Webhook> page;
                   *more = static_cast<int>(rows.size()) > limit;
                   for (const auto& row : rows) {
                     if (static_cast<int>(page.size()) == limit) break;
                     page.push_back(ReadWebhook(row));
                   }
                   return page;
                 });
}

Webhook InsertWebhook(UnitOfWork& unit, const WebhookFields& fields, const std::string& secret) {
  const auto rows =
      unit.work().exec_prepared(sql::kInsert, fields.url, fields.filter.resource_prefix,
                                json(fields.filter.methods).dump(), secret);
  return ReadWebhook(rows[0]);
}

absl::StatusOr<WebhookWithSecret> LockWebhook(UnitOfWork& unit, const std::string& id) {
  return SelectWithSecret(unit.work(), id, true);
}

absl::StatusOr<WebhookWithSecret> LoadWebhook(UnitOfWork& unit, const std::string& id) {
  return SelectWithSecret(unit.work(), id, false);
}

Webhook WriteWebhookFields(UnitOfWork& unit, const std::string& id, const WebhookFields& fields) {
  return ReadWebhook(unit.work().exec_prepared(sql::kUpdateFields, id, fields.url,
                                               fields.filter.resource_prefix,
                                               json(fields.filter.methods).dump())[0]);
}

void DeleteWebhookRow(UnitOfWork& unit, const std::string& id) {
  unit.work().exec_prepared(sql::kDelete, id);
}

Webhook WriteWebhookSecret(UnitOfWork& unit, const std::string& id, const std::string& secret,
                           absl::Duration grace) {
  return ReadWebhook(
      unit.work().exec_prepared(sql::kRotate, id, secret, absl::ToInt64Microseconds(grace))[0]);
}

Webhook WriteWebhookResumed(UnitOfWork& unit, const std::string& id) {
  return ReadWebhook(unit.work().exec_prepared(sql::kResume, id)[0]);
}

}  // namespace compliance
