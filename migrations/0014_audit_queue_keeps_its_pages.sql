-- audit_pending is a queue: every mutation appends an entry and every seal deletes the entries
-- it moved. A vacuum that gives the empty pages at a table's end back to the file system holds
-- a lock meanwhile that every insert (every mutation) and every seal waits behind, and checks
-- for waiters only every 20 ms; the queue would fill those pages again anyway. Vacuums of it,
-- autovacuum's and the sealer's own (server/audit_queue_vacuum.h), leave them.
ALTER TABLE audit_pending SET (vacuum_truncate = false);
