-- The W3C trace context of the span that recorded an event (null when nothing was traced); the relay sends it as the
-- Kafka header `traceparent`, so the consumer continues the same trace.
ALTER TABLE outbox ADD COLUMN traceparent TEXT;
