-- Releases that ended without going live (failed, cancelled), as release-api announced: late work for them is refused.
CREATE TABLE ended_release (
    release_id TEXT PRIMARY KEY,
    reason     TEXT,
    ended_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
