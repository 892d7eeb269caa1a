-- Evidence: immutable records; only state, superseded_by and withdraw_reason ever move.
CREATE TABLE evidence (
  id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            smallint    NOT NULL CHECK (kind BETWEEN 1 AND 11),
  title           text        NOT NULL,
  description     text        NOT NULL DEFAULT '',
  uri             text        NOT NULL,
  sha256          text        NOT NULL DEFAULT '',
  source          text        NOT NULL,
  external_id     text        NOT NULL DEFAULT '',
  collect_time    timestamptz NOT NULL,
  expire_time     timestamptz,
  labels          jsonb       NOT NULL DEFAULT '{}',
  content_hash    text        NOT NULL,  -- of the client-supplied fields, to detect re-sends
  state           smallint    NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 3),
  supersedes      uuid        REFERENCES evidence,
  superseded_by   uuid        REFERENCES evidence,
  withdraw_reason text        NOT NULL DEFAULT '',
  submitter       text        NOT NULL,
  create_time     timestamptz NOT NULL DEFAULT now(),
  version         bigint      NOT NULL DEFAULT 1
);
-- At most one ACTIVE record per (source, external_id): the key HR and finance systems upsert by.
CREATE UNIQUE INDEX evidence_active_by_external_id
  ON evidence (source, external_id) WHERE state = 1 AND external_id <> '';
CREATE INDEX evidence_newest_first ON evidence (create_time DESC, id);

-- Which requirements a record supports, in the order the client gave them.
CREATE TABLE evidence_requirements (
  evidence_id    uuid    NOT NULL REFERENCES evidence,
  framework      text    NOT NULL,
  requirement_id text    NOT NULL,
  ordinal        integer NOT NULL,
  PRIMARY KEY (framework, requirement_id, evidence_id),
  FOREIGN KEY (framework, requirement_id) REFERENCES requirements
);
CREATE INDEX evidence_requirements_by_evidence ON evidence_requirements (evidence_id, ordinal);

-- Leadership actions with their deadlines.
CREATE TABLE actions (
  id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  framework         text        NOT NULL,
  requirement_id    text        NOT NULL,
  kind              smallint    NOT NULL CHECK (kind BETWEEN 1 AND 9),
  title             text        NOT NULL,
  description       text        NOT NULL DEFAULT '',
  owner             text        NOT NULL,
  due_time          timestamptz NOT NULL,
  recurrence_us     bigint,
  evidence_required boolean     NOT NULL DEFAULT false,
  state             smallint    NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 3),
  complete_time     timestamptz,
  resolution_note   text        NOT NULL DEFAULT '',
  next_action       uuid        REFERENCES actions,
  create_time       timestamptz NOT NULL DEFAULT now(),
  update_time       timestamptz NOT NULL DEFAULT now(),
  version           bigint      NOT NULL DEFAULT 1,
  FOREIGN KEY (framework, requirement_id) REFERENCES requirements
);
-- Open actions only: the live counts and overdue checks never read closed history.
CREATE INDEX actions_open_by_requirement
  ON actions (framework, requirement_id, due_time) WHERE state = 1;
CREATE INDEX actions_soonest_due ON actions (due_time, id);

CREATE TABLE action_evidence (
  action_id   uuid    NOT NULL REFERENCES actions,
  evidence_id uuid    NOT NULL REFERENCES evidence,
  ordinal     integer NOT NULL,
  PRIMARY KEY (action_id, evidence_id)
);
