-- Evidence never changes and never disappears: the database itself refuses it, not only the
-- service. The one movement allowed is an ACTIVE record becoming SUPERSEDED or WITHDRAWN.
CREATE FUNCTION evidence_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'evidence is never deleted; withdraw it instead'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.id, NEW.kind, NEW.title, NEW.description, NEW.uri, NEW.sha256, NEW.source,
      NEW.external_id, NEW.collect_time, NEW.expire_time, NEW.labels, NEW.content_hash,
      NEW.supersedes, NEW.submitter, NEW.create_time)
     IS DISTINCT FROM
     (OLD.id, OLD.kind, OLD.title, OLD.description, OLD.uri, OLD.sha256, OLD.source,
      OLD.external_id, OLD.collect_time, OLD.expire_time, OLD.labels, OLD.content_hash,
      OLD.supersedes, OLD.submitter, OLD.create_time) THEN
    RAISE EXCEPTION 'evidence content is immutable; create a record that supersedes it'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.state <> 1 THEN
    RAISE EXCEPTION 'only ACTIVE evidence can be superseded or withdrawn'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER evidence_immutable BEFORE UPDATE OR DELETE ON evidence
  FOR EACH ROW EXECUTE FUNCTION evidence_guard();
CREATE TRIGGER evidence_not_truncated BEFORE TRUNCATE ON evidence
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_guard();

CREATE FUNCTION append_only_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER evidence_requirements_append_only BEFORE UPDATE OR DELETE ON evidence_requirements
  FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER evidence_requirements_not_truncated BEFORE TRUNCATE ON evidence_requirements
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_guard();

-- Remembered request_ids: the key, a hash of the request and what it produced, written in the
-- same transaction as the change, so that a retry finds all of it or nothing.
CREATE TABLE idempotency_keys (
  method       text        NOT NULL,
  actor        text        NOT NULL,
  request_id   text        NOT NULL,
  request_hash text        NOT NULL,
  result_ids   uuid[]      NOT NULL DEFAULT '{}',
  create_time  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, actor, request_id)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (create_time);

-- ListEvidence filters by source and by requirement, newest first.
CREATE INDEX evidence_by_source_newest_first ON evidence (source, create_time DESC, id);

-- A record is superseded in the same statement batch that inserts its successor, before the
-- successor exists (one ACTIVE record per external key at every moment): check at commit.
ALTER TABLE evidence ALTER CONSTRAINT evidence_superseded_by_fkey DEFERRABLE INITIALLY DEFERRED;
