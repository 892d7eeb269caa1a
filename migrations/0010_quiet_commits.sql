-- Writers no longer notify at commit. The trigger's pg_notify made every writing transaction
-- take PostgreSQL's global notification lock at commit and hold it through the WAL flush, so
-- that commits could not share an fsync (bench/README.md). The sealer now wakes from the
-- commits of its own process, and from the "audit_pending" notifications that the audit worker
-- of every other replica sends, coalesced, after its own commits; every replica's caches
-- follow those and "audit_sealed" (service/server/audit_worker.cpp).
DROP TRIGGER audit_pending_wakes_sealer ON audit_pending;
DROP FUNCTION audit_pending_notify();
