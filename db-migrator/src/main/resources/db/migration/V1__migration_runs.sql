-- Every run of a release's migrations against its target database, for audit and for recovery.
CREATE TABLE migration_run (
    release_id   TEXT PRIMARY KEY,
    service      TEXT        NOT NULL,
    environment  TEXT        NOT NULL,
    version      TEXT        NOT NULL,
    outcome      TEXT        NOT NULL,
    applied      TEXT,
    reason       TEXT,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL
);
