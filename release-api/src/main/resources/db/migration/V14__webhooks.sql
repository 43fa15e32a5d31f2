-- Webhook subscriptions of an environment (POST /webhooks) and one delivery row per subscription and event, decided
-- by the unique key: two replicas (or a redelivered event) recording the same event for the same subscription make one
-- row, and a row is sent by the replica that claimed it under FOR UPDATE SKIP LOCKED.
CREATE TABLE webhook_subscription (
    id          UUID PRIMARY KEY,
    environment TEXT        NOT NULL,
    url         TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    events      TEXT        NOT NULL,
    secret      TEXT,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_subscription_environment ON webhook_subscription (environment);

CREATE TABLE webhook_delivery (
    id              UUID PRIMARY KEY,
    subscription_id UUID        NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_id        TEXT        NOT NULL,
    event_type      TEXT        NOT NULL,
    event_kind      TEXT        NOT NULL,
    release_id      TEXT        NOT NULL,
    body            TEXT        NOT NULL,
    state           TEXT        NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    last_status     INT,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE state IN ('PENDING', 'SENDING');
