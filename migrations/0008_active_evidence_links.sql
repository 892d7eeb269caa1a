-- The requirement links of ACTIVE evidence only, kept in step by triggers in the writing
-- transaction. The live counts (requirement reads, readiness, the metrics scrape) read this
-- table, whose size follows the live records and never the superseded or withdrawn history:
-- after years of HR re-sends, evidence_requirements holds mostly history.
CREATE TABLE active_evidence_links (
  evidence_id    uuid        NOT NULL,
  framework      text        NOT NULL,
  requirement_id text        NOT NULL,
  expire_time    timestamptz,
  PRIMARY KEY (evidence_id, framework, requirement_id)
);
CREATE INDEX active_evidence_links_by_requirement
  ON active_evidence_links (framework, requirement_id) INCLUDE (expire_time);

-- Links written for ACTIVE evidence become live links (set-based: one statement per batch).
-- OFFSET 0 keeps the lookup a per-link primary-key probe: the planner would otherwise hash
-- the whole evidence table to join a thousand new links, at a cost that grows with history.
CREATE FUNCTION active_evidence_links_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO active_evidence_links (evidence_id, framework, requirement_id, expire_time)
  SELECT n.evidence_id, n.framework, n.requirement_id, e.expire_time
  FROM new_links n,
       LATERAL (SELECT x.expire_time FROM evidence x
                WHERE x.id = n.evidence_id AND x.state = 1 OFFSET 0) e;
  RETURN NULL;
END $$;
CREATE TRIGGER evidence_requirements_track_active AFTER INSERT ON evidence_requirements
  REFERENCING NEW TABLE AS new_links
  FOR EACH STATEMENT EXECUTE FUNCTION active_evidence_links_add();

-- Evidence leaving ACTIVE (superseded, withdrawn) takes its live links with it.
CREATE FUNCTION active_evidence_links_drop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM active_evidence_links l
  USING changed c
  WHERE l.evidence_id = c.id AND c.state <> 1;
  RETURN NULL;
END $$;
CREATE TRIGGER evidence_track_active AFTER UPDATE ON evidence
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION active_evidence_links_drop();

INSERT INTO active_evidence_links (evidence_id, framework, requirement_id, expire_time)
SELECT er.evidence_id, er.framework, er.requirement_id, e.expire_time
FROM evidence e JOIN evidence_requirements er ON er.evidence_id = e.id
WHERE e.state = 1;
