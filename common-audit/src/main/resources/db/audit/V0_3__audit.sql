-- The audit trail: every API action and every state change, appended in order; each entry carries the hash of the
-- one before, so an edit or a deletion anywhere breaks the chain from that entry on.
CREATE TABLE audit_entry (
    seq          BIGINT      PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor        TEXT        NOT NULL,
    action       TEXT        NOT NULL,
    service      TEXT,
    environment  TEXT,
    release_id   UUID,
    request_id   TEXT,
    detail       TEXT,
    prev_hash    TEXT        NOT NULL,
    hash         TEXT        NOT NULL
);

CREATE INDEX audit_entry_by_time ON audit_entry (at);
CREATE INDEX audit_entry_by_service ON audit_entry (service, at);
