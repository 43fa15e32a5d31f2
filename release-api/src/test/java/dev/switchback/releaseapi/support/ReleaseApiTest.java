package dev.switchback.releaseapi.support;

import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What release-api's Quarkus tests share: the test JVM's Kafka client, and a service of their own registered fresh
 * for each test.
 */
public abstract class ReleaseApiTest {

    /** kafka: the test JVM's client of the shared broker. */
    protected static KafkaEvents kafka;

    /** service: the service the current test registered. */
    protected String service;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /**
     * As {@code admin} (the subject given), registers a new service named after the prefix in each environment; a
     * {@code %d} in the spec becomes a free-looking router port.
     */
    protected void registerService(String admin, String prefix, String spec, String... environments) {
        Callers.actAs(admin, "admin");
        kafka = ReleaseApiFixture.kafka(bootstrapServers);
        service = ReleaseApiFixture.newService(prefix);
        for (String environment : environments) {
            ReleaseApiFixture.register(service, environment,
                    spec.contains("%d") ? spec.formatted(20000 + (int) (Math.random() * 20000)) : spec);
        }
    }
}
