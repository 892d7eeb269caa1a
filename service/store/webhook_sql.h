#pragma once

// Statements of the webhook store. Writes return the row as reads do (WEBHOOK_COLUMNS, read
// by ReadWebhook), so that no write needs a read after it.

namespace compliance::webhook_sql {

#define WEBHOOK_COLUMNS                                                                  \
  "w.id::text, w.url, w.resource_prefix, array_to_json(w.methods)::text, w.state,"       \
  "  w.pause_reason, ts_to_us(w.pause_time), w.delivered_sequence,"                      \
  "  ts_to_us(w.last_delivery_time), w.failed_attempts, ts_to_us(w.first_failure_time)," \
  "  w.last_error, ts_to_us(w.next_attempt_time), ts_to_us(w.create_time),"              \
  "  ts_to_us(w.update_time), ts_to_us(w.secret_time), w.version "

// A new subscription starts at the log's head: it receives what is sealed after it, its own
// creation first.
inline constexpr char kInsert[] = "webhook_insert";
inline constexpr char kInsertSql[] =
    "INSERT INTO webhooks AS w (url, resource_prefix, methods, secret, delivered_sequence) "
    "SELECT $1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4,"
    "  (SELECT coalesce(max(sequence), 0) FROM audit_events) "
    "RETURNING " WEBHOOK_COLUMNS;

inline constexpr char kSelect[] = "webhook_select";
inline constexpr char kSelectSql[] =
    "SELECT " WEBHOOK_COLUMNS ", w.secret FROM webhooks w WHERE w.id = $1::uuid";

inline constexpr char kSelectForUpdate[] = "webhook_select_for_update";
inline constexpr char kSelectForUpdateSql[] =
    "SELECT " WEBHOOK_COLUMNS ", w.secret FROM webhooks w WHERE w.id = $1::uuid FOR UPDATE";

// $1 after create_time (µs) or null, $2 after id, $3 limit
inline constexpr char kList[] = "webhook_list";
inline constexpr char kListSql[] =
    "SELECT " WEBHOOK_COLUMNS
    "FROM webhooks w "
    "WHERE $1::bigint IS NULL OR (w.create_time, w.id) > (us_to_ts($1), $2::uuid) "
    "ORDER BY w.create_time, w.id LIMIT $3";

inline constexpr char kUpdateFields[] = "webhook_update_fields";
inline constexpr char kUpdateFieldsSql[] =
    "UPDATE webhooks w SET url = $2, resource_prefix = $3,"
    "  methods = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)),"
    "  update_time = now(), version = w.version + 1 "
    "WHERE w.id = $1::uuid RETURNING " WEBHOOK_COLUMNS;

inline constexpr char kDelete[] = "webhook_delete";
inline constexpr char kDeleteSql[] = "DELETE FROM webhooks WHERE id = $1::uuid";

// The old secret keeps signing for $3 µs, so receivers can switch without a gap.
inline constexpr char kRotate[] = "webhook_rotate";
inline constexpr char kRotateSql[] =
    "UPDATE webhooks w SET previous_secret = w.secret,"
    "  previous_secret_expire_time = now() + $3 * interval '1 microsecond', secret = $2,"
    "  secret_time = now(), update_time = now(), version = w.version + 1 "
    "WHERE w.id = $1::uuid RETURNING " WEBHOOK_COLUMNS;

inline constexpr char kResume[] = "webhook_resume";
inline constexpr char kResumeSql[] =
    "UPDATE webhooks w SET state = 1, pause_reason = '', pause_time = NULL, failed_attempts = 0,"
    "  first_failure_time = NULL, last_error = '', next_attempt_time = NULL,"
    "  update_time = now(), version = w.version + 1 "
    "WHERE w.id = $1::uuid RETURNING " WEBHOOK_COLUMNS;

}  // namespace compliance::webhook_sql
