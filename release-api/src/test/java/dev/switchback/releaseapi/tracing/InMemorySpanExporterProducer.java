package dev.switchback.releaseapi.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The span exporter of release-api's tests, as the Quarkus OpenTelemetry guide wires one: with the default {@code cdi}
 * exporter the SDK exports to this bean instead of OTLP. Only {@link TracingTest} turns the SDK on.
 */
@ApplicationScoped
public class InMemorySpanExporterProducer {

    @Produces
    @Singleton
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
