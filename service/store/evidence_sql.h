#pragma once

// Statements of the evidence store. Batches travel as one jsonb parameter, so that a thousand
// records take one round trip per step and no value is ever spliced into SQL text.
//
// Lookups by key probe the table once per key through a LATERAL subquery that the planner
// cannot flatten (FOR UPDATE or OFFSET 0). Prepared statements keep a generic plan, and one
// chosen while a table was small would otherwise hash-join the whole table (every ACTIVE
// record, say) on each call until the next ANALYZE; measured at a fifth of the create rate.

#include "store/audit_sql.h"
#include "store/idempotency_sql.h"
#include "store/state_sql.h"

namespace compliance::evidence_sql {

#define EVIDENCE_COLUMNS                                                                    \
  "e.id::text, e.kind, e.title, e.description, e.uri, e.sha256, e.source, e.external_id, "  \
  "ts_to_us(e.collect_time), ts_to_us(e.expire_time), e.labels::text, e.state, "            \
  "coalesce(e.supersedes::text, ''), coalesce(e.superseded_by::text, ''), "                 \
  "e.withdraw_reason, e.submitter, ts_to_us(e.create_time), e.version, "                    \
  "(SELECT json_agg(json_build_array(er.framework, er.requirement_id) ORDER BY er.ordinal)" \
  "   FROM evidence_requirements er WHERE er.evidence_id = e.id)::text "

// $1 [{source, external_id}]. A first attempt takes no lock: two writers of one new key both
// insert, and the unique index evidence_active_by_external_id makes the second wait for the
// first and then fail (kConflict). The transaction then runs again taking these locks first,
// so that writers of a contested key queue up instead of failing in turn.
inline constexpr char kLockExternalKeys[] = "evidence_lock_external_keys";
inline constexpr char kLockExternalKeysSql[] =
    "SELECT pg_advisory_xact_lock(k) FROM ("
    "  SELECT DISTINCT hashtextextended(x->>'source' || '/' || (x->>'external_id'), 27001) AS k"
    "  FROM jsonb_array_elements($1::jsonb) x ORDER BY k) keys";

// $1 [{source, external_id}]
inline constexpr char kActiveByExternal[] = "evidence_active_by_external";
inline constexpr char kActiveByExternalSql[] =
    "SELECT e.id::text, e.source, e.external_id, e.content_hash, e.state "
    "FROM jsonb_array_elements($1::jsonb) x, "
    "  LATERAL (SELECT * FROM evidence e WHERE e.state = " SQL_EVIDENCE_ACTIVE
    " AND e.external_id <> ''"
    "           AND e.source = x->>'source' AND e.external_id = x->>'external_id' FOR UPDATE) e";

// $1 [uuid]
inline constexpr char kTargets[] = "evidence_targets";
inline constexpr char kTargetsSql[] =
    "SELECT e.id::text, e.source, e.external_id, e.content_hash, e.state "
    "FROM jsonb_array_elements_text($1::jsonb) x(id), "
    "  LATERAL (SELECT * FROM evidence e WHERE e.id = x.id::uuid FOR UPDATE) e";

// The whole write of a create in one statement (one round trip): the new records, their
// requirement links, and the mutation's journal (the request_ids' results and the audit
// entries). Rows arrive as json
// arrays (JsonRows) read by json_to_recordset: one pass a row, typed columns. The links' foreign
// key to evidence and the live-links trigger run at the end of the statement, after every part. $1
// [record], $2 submitter (the actor), $3 [{id, framework, requirement, ordinal}], $4 method, $5
// request results, $6 audit rows
inline constexpr char kWrite[] = "evidence_write";
// The partial unique index that a concurrent writer of the same new key runs into.
inline constexpr char kConflict[] = "evidence_active_by_external_id";
inline constexpr char kWriteSql[] =
    "WITH records AS ("
    "  INSERT INTO evidence (id, kind, title, description, uri, sha256, source, external_id,"
    "    collect_time, expire_time, labels, content_hash, supersedes, submitter) "
    "  SELECT r.id, r.kind, r.title, r.description, r.uri, r.sha256, r.source, r.external_id,"
    "    us_to_ts(r.collect_us), us_to_ts(r.expire_us), r.labels, r.hash, r.supersedes, $2 "
    "  FROM json_to_recordset($1::json) AS r(id uuid, kind smallint, title text,"
    "    description text, uri text, sha256 text, source text, external_id text,"
    "    collect_us bigint, expire_us bigint, labels jsonb, hash text, supersedes uuid) "
    "  RETURNING 1), "
    "links AS ("
    "  INSERT INTO evidence_requirements (evidence_id, framework, requirement_id, ordinal) "
    "  SELECT l.id, l.framework, l.requirement, l.ordinal "
    "  FROM json_to_recordset($3::json) AS l(id uuid, framework text, requirement text,"
    "    ordinal int) RETURNING 1), "
    "results AS (" IDEMPOTENCY_RECORD_SQL("$4", "$2", "$5") " RETURNING 1), "
    "audit AS (" AUDIT_APPEND_SQL("$6") " RETURNING 1) "
    "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM links),"
    "  (SELECT count(*) FROM results), (SELECT count(*) FROM audit)";

// $1 [{id, by}]
inline constexpr char kSupersede[] = "evidence_supersede";
inline constexpr char kSupersedeSql[] =
    "UPDATE evidence e SET state = " SQL_EVIDENCE_SUPERSEDED
    ", superseded_by = (s->>'by')::uuid, version = e.version + 1 "
    "FROM jsonb_array_elements($1::jsonb) s WHERE e.id = (s->>'id')::uuid";

// $1 [uuid]
inline constexpr char kSelectByIds[] = "evidence_select_by_ids";
inline constexpr char kSelectByIdsSql[] =
    "SELECT " EVIDENCE_COLUMNS
    "FROM jsonb_array_elements_text($1::jsonb) x(id), "
    "  LATERAL (SELECT * FROM evidence e WHERE e.id = x.id::uuid OFFSET 0) e";

inline constexpr char kSelectForUpdate[] = "evidence_select_for_update";
inline constexpr char kSelectForUpdateSql[] =
    "SELECT " EVIDENCE_COLUMNS "FROM evidence e WHERE e.id = $1::uuid FOR UPDATE";

inline constexpr char kWithdraw[] = "evidence_withdraw";
inline constexpr char kWithdrawSql[] = "UPDATE evidence SET state = " SQL_EVIDENCE_WITHDRAWN
                                       ", withdraw_reason = $2, version = version + 1 "
                                       "WHERE id = $1::uuid";

// $1 framework, $2 requirement ('' = any), $3 kind, $4 source, $5 state, $6 include expired,
// $7 now, $8/$9 cursor (create time, id; NULL = first page), $10 limit
inline constexpr char kList[] = "evidence_list";
inline constexpr char kListSql[] =
    "SELECT " EVIDENCE_COLUMNS
    "FROM evidence e "
    "WHERE ($1 = '' OR EXISTS (SELECT 1 FROM evidence_requirements er"
    "        WHERE er.evidence_id = e.id AND er.framework = $1 AND er.requirement_id = $2))"
    "  AND ($3 = 0 OR e.kind = $3) AND ($4 = '' OR e.source = $4) AND ($5 = 0 OR e.state = $5)"
    "  AND ($6 OR e.expire_time IS NULL OR e.expire_time > us_to_ts($7))"
    "  AND ($8::bigint IS NULL OR e.create_time < us_to_ts($8)"
    "       OR (e.create_time = us_to_ts($8) AND e.id > $9::uuid)) "
    "ORDER BY e.create_time DESC, e.id LIMIT $10";

#undef EVIDENCE_COLUMNS

}  // namespace compliance::evidence_sql
