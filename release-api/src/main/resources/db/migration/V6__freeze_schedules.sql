-- Recurring freezes: every week on the given days, from a local time to a local time (the next day when it is
-- earlier), in a time zone, so "no releases Friday 18:00 to Monday 08:00 in Berlin" holds across DST changes.
CREATE TABLE freeze_schedule (
    id          UUID PRIMARY KEY,
    environment TEXT        NOT NULL,
    days        TEXT        NOT NULL,
    from_time   TIME        NOT NULL,
    to_time     TIME        NOT NULL,
    zone        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    CHECK (from_time <> to_time)
);

CREATE INDEX freeze_schedule_by_environment ON freeze_schedule (environment);
