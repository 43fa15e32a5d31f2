-- A contract release deploys no code; a release split from another starts only once that one is live.
ALTER TABLE release ADD COLUMN schema_only BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE release ADD COLUMN after_release_id UUID;

-- Which migration versions each service's target database has, as the db-migrator reported them.
CREATE TABLE applied_migration (
    service     TEXT        NOT NULL,
    environment TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    release_id  UUID        NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service, environment, version)
);
