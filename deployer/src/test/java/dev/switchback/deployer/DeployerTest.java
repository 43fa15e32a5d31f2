package dev.switchback.deployer;

import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.UUID;

/**
 * What every deployer Quarkus test starts from: the caller holds admin, one Kafka client for the class, a service
 * of its own per test; afterwards every instance the tests started is stopped, so no sample-app outlives them.
 */
public abstract class DeployerTest {

    protected static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrapServers;

    /** The test's own 8 hex characters, for its service and database names. */
    protected String id;
    /** The test's own service. */
    protected String service;

    /** The prefix of the test's service name. */
    protected String servicePrefix() {
        return "app";
    }

    @BeforeEach
    void actAsAdminWithAServiceOfItsOwn() {
        Callers.actAs("ci", "admin");
        if (kafka == null) {
            kafka = new KafkaEvents(bootstrapServers);
        }
        id = UUID.randomUUID().toString().substring(0, 8);
        service = servicePrefix() + "-" + id;
    }

    @AfterAll
    static void stopEverything() {
        Suite.stopInstances(SampleApps.INSTANCES);
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
