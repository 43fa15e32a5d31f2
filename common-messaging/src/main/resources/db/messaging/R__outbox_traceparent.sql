-- The W3C trace context of the span that recorded an event (null when nothing was traced); the relay sends it as the
-- Kafka header `traceparent`, so the consumer continues the same trace. A repeatable migration, idempotent, run after
-- every versioned one: a version number here would collide with the services' own (db/audit already has 0.3), and a
-- version below one a database already applied would be refused there as out of order.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent TEXT;
