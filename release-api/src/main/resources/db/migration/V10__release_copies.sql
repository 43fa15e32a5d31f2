-- Copies of releases an admin asked for (POST /releases/{id}/copies): who asked and why, until when, and what the
-- migrator and the deployer reported of them, each change made on the row read under its lock.
CREATE TABLE release_copy (
    id            UUID PRIMARY KEY,
    release_id    UUID        NOT NULL REFERENCES release (id),
    service       TEXT        NOT NULL,
    environment   TEXT        NOT NULL,
    version       TEXT        NOT NULL,
    state         TEXT        NOT NULL,
    reason        TEXT,
    requested_by  TEXT        NOT NULL,
    retention     TEXT        NOT NULL,
    failure       TEXT,
    retired_reason TEXT,
    endpoint      TEXT,
    database_name TEXT,
    instance_id   TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    started_at    TIMESTAMPTZ,
    retired_at    TIMESTAMPTZ,
    dropped_at    TIMESTAMPTZ,
    row_version   BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX release_copy_release ON release_copy (release_id, created_at);
