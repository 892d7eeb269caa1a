-- What the metrics scrape and the readiness report read: ACTIVE evidence only, so their cost
-- follows the live records, not the superseded and withdrawn history.
CREATE INDEX evidence_active ON evidence (id) INCLUDE (expire_time) WHERE state = 1;
