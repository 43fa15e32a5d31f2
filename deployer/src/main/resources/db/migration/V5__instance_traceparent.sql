-- The trace context green was started in, so its health gate publishes green-ready in the release's trace.
ALTER TABLE instance ADD COLUMN traceparent TEXT;
