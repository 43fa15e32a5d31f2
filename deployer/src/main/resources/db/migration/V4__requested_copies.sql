-- A copy of a release an admin asked for, run against its schema copy with no traffic until its retention ends: its
-- handle, its state and its expiry, so a restart, a redelivery or the retention sweep starts and retires it once.
CREATE TABLE requested_copy (
    copy_id     TEXT PRIMARY KEY,
    release_id  TEXT        NOT NULL,
    service     TEXT        NOT NULL,
    environment TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    instance_id TEXT        NOT NULL,
    state       TEXT        NOT NULL,
    driver      TEXT,
    endpoint    TEXT,
    driver_data TEXT,
    spec        TEXT,
    copy_url    TEXT,
    reason      TEXT,
    expires_at  TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ,
    retired_at  TIMESTAMPTZ
);
CREATE INDEX requested_copy_due ON requested_copy (state, expires_at);
