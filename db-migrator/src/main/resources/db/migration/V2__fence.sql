-- The identity of every stamped target database, recorded when it was stamped: the fence compares against it.
CREATE TABLE database_stamp (
    service           TEXT        NOT NULL,
    environment       TEXT        NOT NULL,
    url               TEXT        NOT NULL,
    system_identifier TEXT,
    database_name     TEXT        NOT NULL,
    stamped_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service, environment)
);

-- Every stamp request, granted or refused.
CREATE TABLE stamp_audit (
    id          BIGSERIAL PRIMARY KEY,
    service     TEXT        NOT NULL,
    environment TEXT        NOT NULL,
    url         TEXT        NOT NULL,
    outcome     TEXT        NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ NOT NULL
);
