package dev.switchback.infra;

import dev.switchback.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a service under test at the shared real Kafka broker and at its own database in the shared PostgreSQL.
 * Init arg {@code database} names the database (default: {@code switchback}).
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "switchback";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        SharedInfra infra = SharedInfra.get();
        infra.kafka().createTopics(Topics.ALL);
        return Map.of(
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                "quarkus.datasource.jdbc.url", infra.postgres().createDatabase(database),
                "quarkus.datasource.username", Postgres.USER,
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        // Shared across the test JVM: SharedInfra stops it at exit.
    }
}
