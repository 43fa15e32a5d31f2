-- The intervals analysis judged, per release, for the dashboard's chart: written in the transaction that decides on
-- the interval (under the route's lock), so every replica answers the same and a restarted switcher keeps them.
CREATE TABLE analysis_interval (
    id           BIGSERIAL        PRIMARY KEY,
    release_id   TEXT             NOT NULL,
    at           TIMESTAMPTZ      NOT NULL,
    window_name  TEXT             NOT NULL,
    green_weight INT              NOT NULL,
    requests     BIGINT           NOT NULL,
    errors       BIGINT           NOT NULL,
    error_rate   DOUBLE PRECISION NOT NULL,
    p99_millis   DOUBLE PRECISION NOT NULL,
    verdict      TEXT             NOT NULL,
    reason       TEXT             NOT NULL
);

CREATE INDEX analysis_interval_by_release ON analysis_interval (release_id, id);
CREATE INDEX analysis_interval_by_time ON analysis_interval (at);
