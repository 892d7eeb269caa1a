#include "store/status_store.h"

#include <nlohmann/json.hpp>

#include "store/state_sql.h"
#include "store/transaction.h"

namespace compliance {
namespace {

// $1 now (µs), $2 framework ('' any), $3 clause ('' any). Open actions come from the partial
// index on OPEN rows, evidence from the live links of ACTIVE records, and sources from a loose
// index scan (one probe per source), so no part grows with closed or old history. The
// aggregates are MATERIALIZED: computed once, not once per requirement row as an inlined CTE
// under a nested loop would be.
constexpr char kSnapshot[] = "status_snapshot";
constexpr char kSnapshotSql[] = R"sql(
WITH open_actions AS MATERIALIZED (
  SELECT framework, requirement_id, count(*) AS open,
         count(*) FILTER (WHERE )sql" SQL_PAST_DUE("due_time", "us_to_ts($1)") R"sql() AS overdue,
         ts_to_us(min(due_time)) AS oldest_due
  FROM actions WHERE state = )sql" SQL_ACTION_OPEN R"sql( GROUP BY framework, requirement_id),
active_evidence AS MATERIALIZED (
  SELECT framework, requirement_id,
         count(*) FILTER (WHERE expire_time IS NULL OR expire_time > us_to_ts($1)) AS valid,
         count(*) FILTER (WHERE expire_time <= us_to_ts($1)) AS expired
  FROM active_evidence_links GROUP BY framework, requirement_id)
SELECT r.framework, r.requirement_id, r.clause, r.reference, r.title, r.conformity, r.owner,
       r.review_interval_us, ts_to_us(r.last_review_time), ts_to_us(r.tracking_start_time),
       coalesce(ae.valid, 0), coalesce(ae.expired, 0), coalesce(oa.open, 0),
       coalesce(oa.overdue, 0), oa.oldest_due, r.version, ts_to_us(r.update_time),
       r.last_reviewer, r.notes, (SELECT count(*) FROM audit_pending),
       (WITH RECURSIVE sources AS (
          (SELECT source FROM evidence ORDER BY source LIMIT 1)
          UNION ALL
          SELECT (SELECT e.source FROM evidence e WHERE e.source > s.source
                  ORDER BY e.source LIMIT 1)
          FROM sources s WHERE s.source IS NOT NULL)
        SELECT json_object_agg(s.source, (SELECT ts_to_us(max(e.create_time)) FROM evidence e
                                          WHERE e.source = s.source))
        FROM sources s WHERE s.source IS NOT NULL)::text
FROM requirements r
LEFT JOIN open_actions oa USING (framework, requirement_id)
LEFT JOIN active_evidence ae USING (framework, requirement_id)
WHERE ($2 = '' OR r.framework = $2) AND ($3 = '' OR r.clause = $3)
ORDER BY r.position)sql";

RequirementStatus ReadStatus(const pqxx::row& row) {
  RequirementStatus status;
  Requirement& r = status.requirement;
  r.key = {row[0].as<std::string>(), row[1].as<std::string>()};
  r.clause = row[2].as<std::string>();
  r.reference = row[3].as<std::string>();
  r.title = row[4].as<std::string>();
  r.conformity = static_cast<Conformity>(row[5].as<int>());
  r.owner = row[6].as<std::string>();
  r.review_interval = absl::Microseconds(row[7].as<int64_t>());
  if (!row[8].is_null()) r.last_review_time = absl::FromUnixMicros(row[8].as<int64_t>());
  r.tracking_start_time = absl::FromUnixMicros(row[9].as<int64_t>());
  r.valid_evidence_count = row[10].as<int32_t>();
  status.expired_evidence_count = row[11].as<int32_t>();
  r.open_action_count = row[12].as<int32_t>();
  r.overdue_action_count = row[13].as<int32_t>();
  if (!row[14].is_null()) status.oldest_open_due = absl::FromUnixMicros(row[14].as<int64_t>());
  r.version = row[15].as<int64_t>();
  r.update_time = absl::FromUnixMicros(row[16].as<int64_t>());
  r.last_reviewer = row[17].as<std::string>();
  r.notes = row[18].as<std::string>();
  return status;
}

}  // namespace

void StatusStore::Prepare(pqxx::connection& connection) {
  connection.prepare(kSnapshot, kSnapshotSql);
}

absl::StatusOr<ComplianceSnapshot> StatusStore::Snapshot(const std::string& framework,
                                                         const std::string& clause, absl::Time now,
                                                         absl::Time deadline) {
  return RunRead(
      pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<ComplianceSnapshot> {
        ComplianceSnapshot snapshot;
        const auto rows = work.exec_prepared(kSnapshot, absl::ToUnixMicros(now), framework, clause);
        for (const auto& row : rows) snapshot.requirements.push_back(ReadStatus(row));
        if (!rows.empty()) snapshot.audit_pending_events = rows[0][19].as<int64_t>();
        if (!rows.empty() && !rows[0][20].is_null()) {
          const auto sources = nlohmann::json::parse(rows[0][20].as<std::string>());
          for (auto it = sources.begin(); it != sources.end(); ++it) {
            snapshot.last_delivery_by_source[it.key()] =
                absl::FromUnixMicros(it.value().get<int64_t>());
          }
        }
        return snapshot;
      });
}

}  // namespace compliance
