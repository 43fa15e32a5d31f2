-- Who asked for a release, and who approved it where policy says a second person must.
ALTER TABLE release ADD COLUMN requested_by TEXT;
ALTER TABLE release ADD COLUMN approval_reason TEXT;
ALTER TABLE release ADD COLUMN approved_by TEXT;
ALTER TABLE release ADD COLUMN approval_comment TEXT;
ALTER TABLE release ADD COLUMN decided_at TIMESTAMPTZ;
