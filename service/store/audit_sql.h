#pragma once

// The statement that queues audit entries, shared by AppendAuditEntries and by writes that
// queue their entries in the same statement as the change itself (one round trip fewer).
// `param` is the placeholder ("$1") of a json array as AuditRowsJson renders it: the entries'
// documents are embedded as JSON values, and the json type (unlike jsonb) gives their text
// back exactly as written, so the hash chain sees the same bytes. json_to_recordset reads each
// row once; ->> would scan a row again for every field.
#define AUDIT_APPEND_SQL(param)                                                               \
  "INSERT INTO audit_pending (actor, method, resource, request_id, before_json, after_json) " \
  "SELECT x.actor, x.method, x.resource, x.request_id, coalesce(x.before_json::text, ''),"    \
  "  coalesce(x.after_json::text, '') "                                                       \
  "FROM json_to_recordset(" param                                                             \
  "::json) AS x(actor text, method text, resource text,"                                      \
  "  request_id text, before_json json, after_json json)"

// The tree nodes of a json array as AuditTreeStore::NodesJson renders it
// ([{level, position, hash (hex)}]), as rows to insert into audit_tree.
#define AUDIT_TREE_ROWS_SQL(param)                     \
  "SELECT n.level, n.position, decode(n.hash, 'hex') " \
  "FROM json_to_recordset(" param "::json) AS n(level smallint, position bigint, hash text)"
