-- A copy of a release an admin asked for: its schema copy's name, the target it was copied from (to drop it), its
-- state and its expiry, so a restart, a redelivery or a second replica drops it once, when it is due.
CREATE TABLE requested_copy (
    copy_id     TEXT PRIMARY KEY,
    release_id  TEXT        NOT NULL,
    service     TEXT        NOT NULL,
    environment TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    state       TEXT        NOT NULL,
    database_name TEXT,
    target      TEXT,
    reason      TEXT,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    dropped_at  TIMESTAMPTZ
);
CREATE INDEX requested_copy_due ON requested_copy (state, expires_at);
