package dev.switchback.infra;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.logging.Logger;

/**
 * A real broker inside the test JVM, built with Kafka's own KRaft test kit: fresh state, a random port and no
 * process left behind. The kit is an internal Kafka API, so its version is pinned to the client's.
 */
public final class InJvmKafkaBroker implements KafkaBroker {

    private static final Logger LOG = Logger.getLogger(InJvmKafkaBroker.class.getName());

    private final KafkaClusterTestKit cluster;

    private InJvmKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static InJvmKafkaBroker start() {
        // A broker inside a test JVM must never end that JVM: a fault while it shuts down with the JVM would
        // otherwise halt it with status 1 and fail a test run whose tests all passed.
        Exit.setExitProcedure((status, message) -> LOG.warning("in-JVM Kafka asked to exit " + status + ": " + message));
        Exit.setHaltProcedure((status, message) -> LOG.warning("in-JVM Kafka asked to halt " + status + ": " + message));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InJvmKafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the in-JVM Kafka broker", e);
        }
    }
}
