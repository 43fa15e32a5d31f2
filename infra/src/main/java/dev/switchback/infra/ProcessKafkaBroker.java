package dev.switchback.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real broker as a child process (what {@code ./suite up} runs), with its data in a directory of its own, so
 * it can be stopped and restarted like a production broker.
 */
public final class ProcessKafkaBroker implements KafkaBroker {

    /** Credentials of the one client user of a broker that lets clients in only with SASL/PLAIN. */
    public record SaslPlain(String username, String password) {

        /** The client settings, as a service gets them from {@code kafka.*} configuration. */
        public Map<String, Object> clientConfig() {
            return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + username + "\" password=\"" + password + "\";");
        }
    }

    private final Process process;
    private final int port;
    private final SaslPlain sasl;

    private ProcessKafkaBroker(Process process, int port, SaslPlain sasl) {
        this.process = process;
        this.port = port;
        this.sasl = sasl;
    }

    public static ProcessKafkaBroker start(Path home, int port, int controllerPort, String classpath, Path log) {
        return start(home, port, controllerPort, classpath, log, null);
    }

    /**
     * Formats the storage if new and starts the broker.
     *
     * @param home           directory for its configuration and data
     * @param port           client port
     * @param controllerPort KRaft controller port
     * @param classpath      classpath holding the Kafka server jars
     * @param log            file its output goes to
     * @param sasl           when given, clients (and the broker itself) must authenticate with SASL/PLAIN
     */
    public static ProcessKafkaBroker start(Path home, int port, int controllerPort, String classpath, Path log,
                                           SaslPlain sasl) {
        try {
            Files.createDirectories(home);
            Path data = home.resolve("data");
            Path config = home.resolve("server.properties");
            String listener = sasl == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
            String security = sasl == null ? "" : String.join("\n",
                    "sasl.enabled.mechanisms=PLAIN",
                    "sasl.mechanism.inter.broker.protocol=PLAIN",
                    "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                            + "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\""
                            + " user_" + sasl.username() + "=\"" + sasl.password() + "\";",
                    "");
            Files.writeString(config, security + String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=" + listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + listener + ":" + listener,
                    "inter.broker.listener.name=" + listener,
                    "log.dirs=" + data.toAbsolutePath(),
                    "num.partitions=" + PARTITIONS,
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            if (!Files.exists(data.resolve("meta.properties"))) {
                Process format = new ProcessBuilder(java, "-cp", classpath, "kafka.tools.StorageTool", "format",
                        "-t", org.apache.kafka.common.Uuid.randomUuid().toString(),
                        "-c", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    throw new IllegalStateException("formatting Kafka storage failed, see " + log);
                }
            }
            Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, "kafka.Kafka", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ProcessKafkaBroker broker = new ProcessKafkaBroker(process, port, sasl);
            Ports.awaitListening("Kafka", process, port, Duration.ofSeconds(90));
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public Map<String, Object> clientConfig() {
        return sasl == null ? Map.of() : sasl.clientConfig();
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(30));
    }
}
