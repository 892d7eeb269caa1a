#pragma once

// Statements of the action store. Writes return the row as reads do, so that no write
// needs a read after it.

#include "store/state_sql.h"

namespace compliance::action_sql {

#define ACTION_COLUMNS                                                                   \
  "a.id::text, a.framework, a.requirement_id, a.kind, a.title, a.description, a.owner, " \
  "ts_to_us(a.due_time), a.recurrence_us, a.evidence_required, a.state, "                \
  "ts_to_us(a.complete_time), a.resolution_note, coalesce(a.next_action::text, ''), "    \
  "ts_to_us(a.create_time), ts_to_us(a.update_time), a.version, "                        \
  "(SELECT json_agg(ae.evidence_id::text ORDER BY ae.ordinal) FROM action_evidence ae"   \
  "   WHERE ae.action_id = a.id)::text "

inline constexpr char kRequirementExists[] = "action_requirement_exists";
inline constexpr char kRequirementExistsSql[] =
    "SELECT 1 FROM requirements WHERE framework = $1 AND requirement_id = $2";

inline constexpr char kInsert[] = "action_insert";
inline constexpr char kInsertSql[] =
    "INSERT INTO actions AS a (framework, requirement_id, kind, title, description, owner,"
    "  due_time, recurrence_us, evidence_required) "
    "VALUES ($1, $2, $3, $4, $5, $6, us_to_ts($7), $8, $9) RETURNING " ACTION_COLUMNS;

inline constexpr char kSelect[] = "action_select";
inline constexpr char kSelectSql[] =
    "SELECT " ACTION_COLUMNS "FROM actions a WHERE a.id = $1::uuid";

inline constexpr char kSelectForUpdate[] = "action_select_for_update";
inline constexpr char kSelectForUpdateSql[] =
    "SELECT " ACTION_COLUMNS "FROM actions a WHERE a.id = $1::uuid FOR UPDATE OF a";

inline constexpr char kUpdateFields[] = "action_update_fields";
inline constexpr char kUpdateFieldsSql[] =
    "UPDATE actions a SET title = $2, description = $3, owner = $4, due_time = us_to_ts($5),"
    "  recurrence_us = $6, evidence_required = $7, update_time = now(), version = a.version + 1 "
    "WHERE a.id = $1::uuid RETURNING " ACTION_COLUMNS;

inline constexpr char kComplete[] = "action_complete";
inline constexpr char kCompleteSql[] =
    "UPDATE actions a SET state = " SQL_ACTION_COMPLETED
    ", complete_time = us_to_ts($2),"
    "  resolution_note = $3, next_action = $4::uuid, update_time = now(),"
    "  version = a.version + 1 "
    "WHERE a.id = $1::uuid RETURNING " ACTION_COLUMNS;

inline constexpr char kCancel[] = "action_cancel";
inline constexpr char kCancelSql[] = "UPDATE actions a SET state = " SQL_ACTION_CANCELLED
                                     ", resolution_note = $2,"
                                     "  update_time = now(), version = a.version + 1 WHERE a.id = "
                                     "$1::uuid RETURNING " ACTION_COLUMNS;

// $1 [uuid] → the state of each that exists
inline constexpr char kEvidenceStates[] = "action_evidence_states";
inline constexpr char kEvidenceStatesSql[] =
    "SELECT id::text, state FROM evidence "
    "WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) FOR SHARE";

// $1 action id, $2 [uuid]
inline constexpr char kAttachEvidence[] = "action_attach_evidence";
inline constexpr char kAttachEvidenceSql[] =
    "INSERT INTO action_evidence (action_id, evidence_id, ordinal) "
    "SELECT $1::uuid, x.value::uuid, x.ordinality FROM jsonb_array_elements_text($2::jsonb) "
    "WITH ORDINALITY AS x(value, ordinality)";

// $1 framework, $2 requirement ('' any), $3 state, $4 overdue only, $5 owner, $6 now,
// $7/$8 cursor (due time, id), $9 limit
inline constexpr char kList[] = "action_list";
inline constexpr char kListSql[] = "SELECT " ACTION_COLUMNS
                                   "FROM actions a "
                                   "WHERE ($1 = '' OR (a.framework = $1 AND a.requirement_id = $2))"
                                   "  AND ($3 = 0 OR a.state = $3) AND ($5 = '' OR a.owner = $5)"
                                   "  AND (NOT $4 OR " SQL_ACTION_OVERDUE("a", "us_to_ts($6)") ")"
                                   "  AND ($7::bigint IS NULL OR a.due_time > us_to_ts($7)"
                                   "       OR (a.due_time = us_to_ts($7) AND a.id > $8::uuid)) "
                                   "ORDER BY a.due_time, a.id LIMIT $9";

#undef ACTION_COLUMNS

}  // namespace compliance::action_sql
