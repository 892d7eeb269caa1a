-- Webhook subscriptions: the audit log's sealed events POSTed to a URL, in sequence order.
-- Each row is also its subscription's delivery state: the cursor (delivered_sequence), the
-- run of failures, and the lease of the one replica that delivers it. The signing secret is
-- kept as it is shown (`whsec_…`), since signing needs the key itself; it leaves the
-- database only towards the receiver's signature and the answers of Create and Rotate.
CREATE TABLE webhooks (
  id                           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  url                          text        NOT NULL,
  resource_prefix              text        NOT NULL DEFAULT '',
  methods                      text[]      NOT NULL DEFAULT '{}',
  secret                       text        NOT NULL,
  previous_secret              text,       -- still signs until previous_secret_expire_time
  previous_secret_expire_time  timestamptz,
  secret_time                  timestamptz NOT NULL DEFAULT now(),
  state                        smallint    NOT NULL DEFAULT 1 CHECK (state IN (1, 2)),
  pause_reason                 text        NOT NULL DEFAULT '',
  pause_time                   timestamptz,
  delivered_sequence           bigint      NOT NULL CHECK (delivered_sequence >= 0),
  last_delivery_time           timestamptz,
  failed_attempts              integer     NOT NULL DEFAULT 0,
  first_failure_time           timestamptz,
  last_error                   text        NOT NULL DEFAULT '',
  next_attempt_time            timestamptz,
  lease_owner                  text,       -- the replica delivering it, until lease_expire_time
  lease_expire_time            timestamptz,
  create_time                  timestamptz NOT NULL DEFAULT now(),
  update_time                  timestamptz NOT NULL DEFAULT now(),
  version                      bigint      NOT NULL DEFAULT 1
);
CREATE INDEX webhooks_by_create_time ON webhooks (create_time, id);
