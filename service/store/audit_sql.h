#pragma once

// The statement that queues audit entries, shared by AppendAuditEntries and by writes that
// queue their entries in the same statement as the change itself (one round trip fewer).
// `param` is the placeholder ("$1") of a jsonb array as AuditRowsJson renders it.
#define AUDIT_APPEND_SQL(param)                                                               \
  "INSERT INTO audit_pending (actor, method, resource, request_id, before_json, after_json) " \
  "SELECT x->>'actor', x->>'method', x->>'resource', x->>'request_id', x->>'before_json',"    \
  "  x->>'after_json' FROM jsonb_array_elements(" param "::jsonb) x"
