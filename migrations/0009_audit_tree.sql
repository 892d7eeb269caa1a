-- The Merkle tree (RFC 9162) over the sealed events, so that a signed checkpoint of its root
-- commits to the whole log and proofs need O(log n) rows. One row per complete subtree: the
-- node at `level` and `position` covers the leaves [position << level, (position + 1) << level);
-- leaf i is the event with sequence i + 1. The sealer writes the nodes its events complete in
-- the transaction that seals them.
CREATE TABLE audit_tree (
  level    smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
  position bigint   NOT NULL CHECK (position >= 0),
  hash     bytea    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, position)
);
CREATE TRIGGER audit_tree_append_only BEFORE UPDATE OR DELETE ON audit_tree
  FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER audit_tree_not_truncated BEFORE TRUNCATE ON audit_tree
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_guard();

-- Signed checkpoints (C2SP tlog-checkpoint as a signed note), newest last. The signing key
-- never enters the database: whoever holds it can check these, and nobody without it can
-- make new ones.
CREATE TABLE audit_checkpoints (
  tree_size bigint      PRIMARY KEY CHECK (tree_size > 0),
  root      bytea       NOT NULL CHECK (length(root) = 32),
  note      text        NOT NULL,
  sign_time timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER audit_checkpoints_not_truncated BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_guard();

-- What the role that serves may do (compliance-server migrate --grant-to ROLE): read and
-- write the working tables, only read and append the audit log, its tree and checkpoints,
-- and own nothing, so that it can neither rewrite history nor drop the triggers that guard
-- it. audit_pending is a queue the sealer empties, and audit_head the sealer's pointer.
CREATE FUNCTION compliance_grant_service_role(service_role name) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), service_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
                 current_schema(), service_role);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I',
                 current_schema(), service_role);
  EXECUTE format('REVOKE UPDATE, DELETE ON audit_events, audit_tree, audit_checkpoints FROM %I',
                 service_role);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM %I', service_role);
END $$;
