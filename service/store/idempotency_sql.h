#pragma once

// The statement that records what claimed request_ids produced, shared by WriteJournal and by
// writes that record them in the same statement as the change itself (one round trip fewer).
// `results` is the placeholder of a json array as RequestResultsJson renders it
// ([{request_id, ids}]); json_to_recordset turns each `ids` array into a uuid[].
#define IDEMPOTENCY_RECORD_SQL(method, actor, results) \
  "UPDATE idempotency_keys k SET result_ids = r.ids "  \
  "FROM json_to_recordset(" results                    \
  "::json) AS r(request_id text, ids uuid[]) "         \
  "WHERE k.method = " method " AND k.actor = " actor " AND k.request_id = r.request_id"
