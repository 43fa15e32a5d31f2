-- One hash chain per service and environment instead of one for the whole trail, so appends for different services
-- never wait on each other: `chain` is the key AuditLog derives from service and environment, `position` the place
-- in that chain from 1, and `seq` (still the primary key, still hashed) comes from a sequence, ordering entries
-- across chains, so gaps in it are normal. Entries written before this form one legacy chain, '', in their old order
-- (position = seq), and keep verifying as they did.
-- A repeatable migration, idempotent, run after every versioned one: a version of its own would collide with the
-- services' (db/audit has 0.3, each service has its own up to 14 or so), and one below a version a database already
-- applied would be refused there as out of order (see db/messaging's R__outbox_traceparent.sql).
ALTER TABLE audit_entry ADD COLUMN IF NOT EXISTS chain TEXT;
ALTER TABLE audit_entry ADD COLUMN IF NOT EXISTS position BIGINT;
UPDATE audit_entry SET chain = '', position = seq WHERE chain IS NULL OR position IS NULL;
ALTER TABLE audit_entry ALTER COLUMN chain SET NOT NULL;
ALTER TABLE audit_entry ALTER COLUMN position SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS audit_entry_by_chain ON audit_entry (chain, position);

-- seq continues after the legacy entries; run again, it never goes back below a seq already taken.
CREATE SEQUENCE IF NOT EXISTS audit_entry_seq AS BIGINT;
SELECT setval('audit_entry_seq', GREATEST((SELECT COALESCE(MAX(seq), 0) FROM audit_entry),
        (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM audit_entry_seq), 1),
        (SELECT COALESCE(MAX(seq), 0) FROM audit_entry) > 0 OR (SELECT is_called FROM audit_entry_seq));
