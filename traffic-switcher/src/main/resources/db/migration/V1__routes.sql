-- Where each service's router sends traffic now: re-asserted on start, so a restart changes nothing for users.
CREATE TABLE route (
    service          TEXT        NOT NULL,
    environment      TEXT        NOT NULL,
    driver           TEXT        NOT NULL,
    port             INTEGER     NOT NULL UNIQUE,
    live_endpoint    TEXT,
    live_version     TEXT,
    live_release_id  TEXT,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service, environment)
);

-- Every cutover, with what it replaced, so a rollback knows where blue is.
CREATE TABLE cutover (
    release_id       TEXT PRIMARY KEY,
    service          TEXT        NOT NULL,
    environment      TEXT        NOT NULL,
    port             INTEGER     NOT NULL,
    from_endpoint    TEXT,
    from_version     TEXT,
    from_release_id  TEXT,
    to_endpoint      TEXT        NOT NULL,
    health_path      TEXT        NOT NULL,
    state            TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
