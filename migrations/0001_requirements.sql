-- Time helpers: the service passes instants as microseconds since the Unix epoch, which is
-- exactly PostgreSQL's own resolution, so nothing is rounded on the way in or out.
CREATE FUNCTION us_to_ts(us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  -- Whole seconds and the remainder separately: interval arithmetic goes through float8,
  -- which is exact below 2^53 microseconds per factor but not for the product as a whole.
  RETURN 'epoch'::timestamptz + (us / 1000000) * interval '1 second'
                              + (us % 1000000) * interval '1 microsecond';

CREATE FUNCTION ts_to_us(ts timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM ts) * 1000000)::bigint;

-- One row per catalog item. The catalog columns arrive by migration and never change at run
-- time; owner, review_interval_us and notes are writable; the review columns move with reviews.
CREATE TABLE requirements (
  framework           text        NOT NULL,
  requirement_id      text        NOT NULL,
  clause              text        NOT NULL,
  position            integer     NOT NULL UNIQUE,  -- catalog order, across frameworks
  reference           text        NOT NULL,
  title               text        NOT NULL,
  description         text        NOT NULL,
  evidence_guidance   text[]      NOT NULL,
  conformity          smallint    NOT NULL DEFAULT 1 CHECK (conformity BETWEEN 1 AND 4),
  owner               text        NOT NULL DEFAULT '',
  review_interval_us  bigint      NOT NULL DEFAULT 365 * 86400 * 1000000::bigint,
  last_review_time    timestamptz,
  last_reviewer       text        NOT NULL DEFAULT '',
  notes               text        NOT NULL DEFAULT '',
  tracking_start_time timestamptz NOT NULL DEFAULT now(),
  update_time         timestamptz NOT NULL DEFAULT now(),
  version             bigint      NOT NULL DEFAULT 1,
  PRIMARY KEY (framework, requirement_id)
);

-- Every review ever recorded, so the history an auditor asks for is kept beside the status.
CREATE TABLE requirement_reviews (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  framework      text        NOT NULL,
  requirement_id text        NOT NULL,
  conformity     smallint    NOT NULL CHECK (conformity BETWEEN 1 AND 4),
  notes          text        NOT NULL,
  review_time    timestamptz NOT NULL,
  reviewer       text        NOT NULL,
  record_time    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (framework, requirement_id) REFERENCES requirements
);
CREATE INDEX requirement_reviews_by_requirement
  ON requirement_reviews (framework, requirement_id, review_time);
