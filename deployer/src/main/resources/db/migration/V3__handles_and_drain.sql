-- The runtime driver's handle of each instance (endpoint, plus the driver's own data), the drain in columns of its
-- own, and a row version, so that two replicas, or one event delivered twice, never apply one change twice.
ALTER TABLE instance ADD COLUMN driver TEXT;
ALTER TABLE instance ADD COLUMN driver_data TEXT;
ALTER TABLE instance ADD COLUMN retire_reason TEXT;
ALTER TABLE instance ADD COLUMN stopped_at TIMESTAMPTZ;
ALTER TABLE instance ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0;

-- pid and port were the process driver's; they move into its data. The columns stay, readable, no longer written.
ALTER TABLE instance ALTER COLUMN port DROP NOT NULL;
UPDATE instance
SET driver      = COALESCE(spec::json -> 'runtime' ->> 'driver', 'process'),
    driver_data = jsonb_strip_nulls(jsonb_build_object('pid', pid::text, 'port', port::text, 'health', health_path))::text;
ALTER TABLE instance ALTER COLUMN driver SET NOT NULL;
ALTER TABLE instance ALTER COLUMN driver_data SET NOT NULL;

-- A draining blue was WARM with its retire time set and its reason behind a "draining until ...; " prefix.
UPDATE instance
SET state         = 'DRAINING',
    retire_reason = regexp_replace(reason, '^draining until [^;]*; ', '')
WHERE state = 'WARM' AND retire_at IS NOT NULL;

-- Every instance retired so far was stopped as it was retired.
UPDATE instance SET stopped_at = updated_at WHERE state = 'RETIRED';
