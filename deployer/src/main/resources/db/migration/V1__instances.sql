-- Every instance the deployer started: green while it proves itself, then live, retired or isolated.
CREATE TABLE instance (
    id            TEXT PRIMARY KEY,
    release_id    TEXT        NOT NULL UNIQUE,
    service       TEXT        NOT NULL,
    environment   TEXT        NOT NULL,
    version       TEXT        NOT NULL,
    state         TEXT        NOT NULL,
    pid           BIGINT,
    port          INTEGER     NOT NULL,
    endpoint      TEXT        NOT NULL,
    health_path   TEXT        NOT NULL,
    spec          TEXT        NOT NULL,
    reason        TEXT,
    deadline      TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX instance_by_service ON instance (service, environment, state);
