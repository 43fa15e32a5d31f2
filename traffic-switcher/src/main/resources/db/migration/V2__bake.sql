-- A cutover now goes through canary steps and a bake before it is promoted; the switcher resumes both after a
-- restart from these columns.
ALTER TABLE cutover ADD COLUMN rollout TEXT;
ALTER TABLE cutover ADD COLUMN version TEXT;
ALTER TABLE cutover ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cutover ADD COLUMN green_weight INTEGER NOT NULL DEFAULT 100;
ALTER TABLE cutover ADD COLUMN window_ends_at TIMESTAMPTZ;
ALTER TABLE cutover ADD COLUMN passed_intervals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cutover ADD COLUMN inconclusive_intervals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cutover ADD COLUMN window_passed INTEGER NOT NULL DEFAULT 0;
-- Cutovers made before bakes existed were promoted at once.
UPDATE cutover SET state = 'PROMOTED' WHERE state = 'LIVE';
