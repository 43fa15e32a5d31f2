-- A live release holds its service and environment until its bake ends: promoted (blue retired) or rolled back.
ALTER TABLE release ADD COLUMN promoted_at timestamp with time zone;
-- Releases live before bakes existed count as promoted.
UPDATE release SET promoted_at = live_at WHERE phase = 'LIVE';
