package dev.switchback.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real broker as a child process (what {@code ./suite up} runs), with its data in a directory of its own, so
 * it can be stopped and restarted like a production broker.
 */
public final class ProcessKafkaBroker implements KafkaBroker {

    private final Process process;
    private final int port;

    private ProcessKafkaBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Formats the storage if new and starts the broker.
     *
     * @param home           directory for its configuration and data
     * @param port           client port
     * @param controllerPort KRaft controller port
     * @param classpath      classpath holding the Kafka server jars
     * @param log            file its output goes to
     */
    public static ProcessKafkaBroker start(Path home, int port, int controllerPort, String classpath, Path log) {
        try {
            Files.createDirectories(home);
            Path data = home.resolve("data");
            Path config = home.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
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
            ProcessKafkaBroker broker = new ProcessKafkaBroker(process, port);
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
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(30));
    }
}
