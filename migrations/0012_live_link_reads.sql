-- Two reads of the live evidence links that every requirement read makes when its cache cannot
-- answer (after any write, on any replica), made independent of how many links other
-- requirements hold (bench/README.md, "another replica sees a change").

-- When the answer next changes includes the soonest expiry among live links. Without an index
-- it was a scan of every live link: 21 ms at 200,000 links. With it, one probe.
CREATE INDEX active_evidence_links_by_expiry ON active_evidence_links (expire_time)
  WHERE expire_time IS NOT NULL;

-- A requirement's count of valid evidence. As a correlated subquery its plan is made for the
-- average requirement, which the column statistics take from the data: when one requirement
-- holds nearly all links (an HR system's training records, say), the planner expects every
-- requirement to match every link and scans them all, for each requirement read. Measured at
-- 200,000 links on 5.1.g: GetRequirement of 5.1.a 25 ms, ListRequirements 151 ms. A function
-- with its own setting always probes active_evidence_links_by_requirement instead: 5.1.a
-- 0.3 ms, the list 22 ms (the count of 5.1.g's 200,000 itself).
CREATE FUNCTION live_evidence_count(framework text, requirement_id text, valid_at timestamptz)
  RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
  SET enable_seqscan = off
AS $$
  SELECT count(*) FROM active_evidence_links l
  WHERE l.framework = $1 AND l.requirement_id = $2
    AND (l.expire_time IS NULL OR l.expire_time > $3)
$$;
