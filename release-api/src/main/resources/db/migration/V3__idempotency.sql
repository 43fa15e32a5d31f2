-- Idempotency-Key of POST /releases: the same key returns the same release, never a second one.
CREATE TABLE idempotency_key (
    idempotency_key TEXT PRIMARY KEY,
    request_hash    TEXT        NOT NULL,
    release_id      UUID        NOT NULL REFERENCES release (id),
    created_at      TIMESTAMPTZ NOT NULL
);
