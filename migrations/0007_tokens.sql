-- API tokens. The secret is never stored: only its SHA-256, compared in constant time.
CREATE TABLE tokens (
  name        text        PRIMARY KEY,
  token_id    text        NOT NULL UNIQUE,  -- the public part of the token, for lookup
  secret_hash text        NOT NULL,
  role        smallint    NOT NULL CHECK (role BETWEEN 1 AND 4),
  sources     text[]      NOT NULL DEFAULT '{}',
  create_time timestamptz NOT NULL DEFAULT now(),
  revoke_time timestamptz
);
