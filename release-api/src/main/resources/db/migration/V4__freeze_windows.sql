-- Time ranges in which an environment's releases queue instead of running.
CREATE TABLE freeze_window (
    id          UUID PRIMARY KEY,
    environment TEXT        NOT NULL,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    zone        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at)
);

CREATE INDEX freeze_window_by_environment ON freeze_window (environment, ends_at);

-- Why a release ran through a freeze, when it did.
ALTER TABLE release ADD COLUMN emergency_reason TEXT;
