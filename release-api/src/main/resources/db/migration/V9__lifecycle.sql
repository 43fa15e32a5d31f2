-- Every change to a release is made on the row read under its service's lock; the version makes a write based on a
-- stale read fail instead of overwriting what another transaction decided.
ALTER TABLE release ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0;

-- The approval's decision is a value of its own, no longer read back from the release's reason.
ALTER TABLE release ADD COLUMN approval_decision TEXT;
UPDATE release SET approval_decision = CASE
    WHEN phase = 'AWAITING_APPROVAL' THEN 'PENDING'
    WHEN decided_at IS NOT NULL AND phase = 'CANCELLED' AND reason LIKE 'rejected by %' THEN 'REJECTED'
    WHEN decided_at IS NOT NULL THEN 'APPROVED'
    WHEN reason LIKE 'approval expired%' THEN 'EXPIRED'
    ELSE 'WITHDRAWN' END
WHERE approval_reason IS NOT NULL;

-- Conditions are stored with the release, set by the transitions that change them.
ALTER TABLE release ADD COLUMN conditions TEXT NOT NULL DEFAULT '[]';
CREATE FUNCTION pg_temp.condition(type TEXT, status BOOLEAN, reason TEXT, message TEXT, at TIMESTAMPTZ) RETURNS JSONB
    LANGUAGE SQL AS $$
        SELECT jsonb_build_object('type', type, 'status', CASE WHEN status THEN 'True' ELSE 'False' END,
            'reason', reason, 'message', message,
            'lastTransitionTime', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    $$;
UPDATE release SET conditions = (
    CASE WHEN approval_reason IS NULL THEN '[]'::jsonb
         WHEN approval_decision = 'PENDING' THEN jsonb_build_array(pg_temp.condition('AwaitingApproval', true,
             'ApprovalRequired', approval_reason, requested_at))
         ELSE jsonb_build_array(pg_temp.condition('AwaitingApproval', false,
             initcap(lower(approval_decision)), COALESCE(reason, lower(approval_decision)),
             COALESCE(decided_at, updated_at))) END
    || CASE WHEN live_at IS NULL OR schema_only THEN '[]'::jsonb
         WHEN promoted_at IS NOT NULL THEN jsonb_build_array(
             pg_temp.condition('Baking', false, 'Promoted', 'the bake ended; blue was retired', promoted_at),
             pg_temp.condition('Promoted', true, 'BakePassed', 'green is the only version now', promoted_at))
         WHEN phase = 'LIVE' THEN jsonb_build_array(
             pg_temp.condition('Baking', true, 'BakeInProgress',
                 'green takes the traffic and is analysed; blue is kept warm', live_at),
             pg_temp.condition('Promoted', false, 'BakeInProgress', 'not yet promoted', live_at))
         ELSE jsonb_build_array(
             pg_temp.condition('Baking', false, CASE WHEN phase = 'ROLLING_BACK' THEN 'RollingBack' ELSE 'RolledBack' END,
                 COALESCE(reason, 'traffic went back to blue'), updated_at),
             pg_temp.condition('Promoted', false, 'RolledBack', 'green was not promoted', updated_at)) END
)::text;
