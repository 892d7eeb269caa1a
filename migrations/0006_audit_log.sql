-- The audit log. Each mutation inserts its event into audit_pending in its own transaction,
-- so writers stay parallel; one sealer at a time (elected with an advisory lock) moves
-- committed events into audit_events in batches, assigning the gap-free sequence and the
-- hash chain. Readers and watchers only ever see audit_events, which never changes.
CREATE TABLE audit_pending (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_time  timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor       text        NOT NULL,
  method      text        NOT NULL,
  resource    text        NOT NULL,
  request_id  text        NOT NULL DEFAULT '',
  before_json text        NOT NULL DEFAULT '',
  after_json  text        NOT NULL
);

CREATE TABLE audit_events (
  sequence    bigint      PRIMARY KEY CHECK (sequence > 0),
  event_time  timestamptz NOT NULL,
  actor       text        NOT NULL,
  method      text        NOT NULL,
  resource    text        NOT NULL,
  request_id  text        NOT NULL,
  before_json text        NOT NULL,
  after_json  text        NOT NULL,
  prev_hash   text        NOT NULL,
  hash        text        NOT NULL
);
CREATE INDEX audit_events_by_resource ON audit_events (resource, sequence);

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER audit_events_not_truncated BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_guard();

-- Wakes the sealer when a mutation commits (notifications are delivered at commit).
CREATE FUNCTION audit_pending_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('audit_pending', '');
  RETURN NULL;
END $$;
CREATE TRIGGER audit_pending_wakes_sealer AFTER INSERT ON audit_pending
  FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_notify();

-- The sealer's record of the chain head, so that events deleted from the end are noticed too.
CREATE TABLE audit_head (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  sequence  bigint  NOT NULL,
  hash      text    NOT NULL
);
INSERT INTO audit_head (sequence, hash) VALUES (0, repeat('0', 64));
