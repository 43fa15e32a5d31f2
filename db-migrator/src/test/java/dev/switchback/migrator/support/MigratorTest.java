package dev.switchback.migrator.support;

import dev.switchback.infra.test.Callers;
import dev.switchback.infra.test.KafkaEvents;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.sql.SQLException;
import java.util.UUID;

/**
 * What every db-migrator Quarkus test starts from: the caller holds admin, one Kafka client for the class, and a
 * service name of its own per test, so tests share the broker and the server without seeing each other's releases.
 */
public abstract class MigratorTest {

    protected static KafkaEvents kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrapServers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    protected String ownDatabaseUrl;

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
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** A new database next to the migrator's own; answers its JDBC URL. */
    protected String createDatabase(String name) throws SQLException {
        return TargetDatabases.create(ownDatabaseUrl, name);
    }
}
