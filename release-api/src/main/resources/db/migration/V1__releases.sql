-- How to run, route and migrate one service in one environment; registered once, changed by PUT.
CREATE TABLE service_spec (
    service     TEXT        NOT NULL,
    environment TEXT        NOT NULL,
    spec        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service, environment)
);

-- One request to move a service in an environment to a version.
CREATE TABLE release (
    id           UUID PRIMARY KEY,
    service      TEXT        NOT NULL,
    environment  TEXT        NOT NULL,
    version      TEXT        NOT NULL,
    spec         TEXT        NOT NULL,
    phase        TEXT        NOT NULL,
    reason       TEXT,
    endpoint     TEXT,
    requested_at TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    live_at      TIMESTAMPTZ,
    FOREIGN KEY (service, environment) REFERENCES service_spec (service, environment)
);

CREATE INDEX release_by_service ON release (service, environment, requested_at);

-- The history of a release: one row per fact seen, in order.
CREATE TABLE release_step (
    id          BIGSERIAL PRIMARY KEY,
    release_id  UUID        NOT NULL REFERENCES release (id),
    phase       TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ NOT NULL
);

CREATE INDEX release_step_by_release ON release_step (release_id, id);
