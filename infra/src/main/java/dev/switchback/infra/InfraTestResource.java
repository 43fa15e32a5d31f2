package dev.switchback.infra;

import dev.switchback.events.Topics;
import dev.switchback.infra.auth.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a service under test at the shared real Kafka broker, at its own database in the shared PostgreSQL, and at
 * the test token issuer's public key.
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
                // Tokens.forTests() signs the tests' tokens with the private half; made before the service starts.
                "mp.jwt.verify.publickey.location", Tokens.forTests().publicKey().toString(),
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
