-- A promoted release's blue keeps running until it has drained; then it is retired.
ALTER TABLE instance ADD COLUMN retire_at TIMESTAMPTZ;
