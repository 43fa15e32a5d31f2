package dev.switchback.infra;

import dev.switchback.events.Topics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Like {@link InfraTestResource}, but the service's Kafka is a broker of its own that lets clients in only with
 * SASL/PLAIN, and the service gets the credentials through the standard {@code kafka.*} settings.
 */
public class SaslKafkaTestResource extends InfraTestResource {

    /** The client user the broker knows; tests read the broker with the same settings. */
    public static final ProcessKafkaBroker.SaslPlain CLIENT = new ProcessKafkaBroker.SaslPlain("switchback",
            "sasl-" + UUID.randomUUID());
    private static volatile ProcessKafkaBroker broker;

    /** The running SASL broker, for the test to watch its topics. */
    public static ProcessKafkaBroker broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            Path home = Files.createTempDirectory("switchback-sasl-kafka");
            broker = ProcessKafkaBroker.start(home, Ports.free(), Ports.free(), System.getProperty("java.class.path"),
                    home.resolve("kafka.log"), CLIENT);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        broker.createTopics(Topics.ALL);
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        CLIENT.clientConfig().forEach((key, value) -> config.put("kafka." + key, value.toString()));
        return config;
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
