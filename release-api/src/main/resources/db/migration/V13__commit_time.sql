-- When the change a release ships was committed, as CI says (optional): where its lead time for changes starts.
ALTER TABLE release ADD COLUMN commit_time TIMESTAMPTZ;
