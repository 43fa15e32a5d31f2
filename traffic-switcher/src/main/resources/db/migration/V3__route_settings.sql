-- A route keeps its router driver's own settings (RouterSpec.settings, a JSON object), so a restarted switcher
-- ensures it as it was first asked for.
ALTER TABLE route ADD COLUMN settings TEXT;
