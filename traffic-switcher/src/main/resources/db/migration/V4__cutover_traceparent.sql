-- The trace context a cutover began in, so the analysis loop publishes the bake's outcome in the release's trace.
ALTER TABLE cutover ADD COLUMN traceparent TEXT;
