package dev.switchback.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** A running Apache Kafka broker (KRaft, one combined node), in this JVM or as a child process. */
public interface KafkaBroker extends AutoCloseable {

    /** PARTITIONS: partitions of each Switchback topic; events are keyed by service/environment. */
    int PARTITIONS = 3;

    String bootstrapServers();

    /** What a client needs beyond the bootstrap servers to be let in (SASL settings); empty for a plaintext broker. */
    default Map<String, Object> clientConfig() {
        return Map.of();
    }

    @Override
    void close();

    /** Creates the topics that do not exist yet. */
    default void createTopics(List<String> topics) {
        Map<String, Object> config = new java.util.HashMap<>(clientConfig());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
