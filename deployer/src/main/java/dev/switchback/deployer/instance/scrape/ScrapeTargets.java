package dev.switchback.deployer.instance.scrape;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.Instance;
import dev.switchback.deployer.instance.InstanceState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Tells Prometheus where the instances are: with {@code switchback.deployer.scrape-targets-file} set, the deployer
 * keeps that file a Prometheus file_sd list of every instance not retired, each labelled with its service,
 * environment, release and version (the labels analysis's default selector picks green's series by), as a cluster's
 * service discovery labels pods. Prometheus rereads the file when it changes; it is replaced whole, never half
 * written, and only when its content changes.
 */
@ApplicationScoped
public class ScrapeTargets {

    private static final Logger LOG = Logger.getLogger(ScrapeTargets.class);

    private final DeployerConfig config;
    private ScheduledExecutorService executor;
    private String written;

    public ScrapeTargets(DeployerConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        if (config.scrapeTargetsFile().isEmpty()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchback-scrape-targets");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, config.scrapeTargetsInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void refresh() {
        try {
            List<Instance> running = QuarkusTransaction.requiringNew().call(
                    () -> Instance.<Instance>list("state <> ?1 order by id", InstanceState.RETIRED));
            String json = render(running);
            if (!json.equals(written)) {
                write(Path.of(config.scrapeTargetsFile().get()), json);
                written = json;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "cannot write the scrape targets to %s", config.scrapeTargetsFile().get());
        }
    }

    /** The instances as a Prometheus file_sd list. */
    static String render(List<Instance> instances) {
        return instances.stream().filter(i -> i.endpoint != null).map(i -> {
            Map<String, String> labels = new TreeMap<>();
            labels.put("service", i.service);
            labels.put("environment", i.environment);
            labels.put("release", i.releaseId);
            labels.put("version", i.version);
            labels.put("switchback_instance", i.id);
            URI endpoint = URI.create(i.endpoint);
            return "{\"targets\":[" + quote(endpoint.getHost() + ":" + endpoint.getPort()) + "],\"labels\":{"
                    + labels.entrySet().stream().map(l -> quote(l.getKey()) + ":" + quote(l.getValue()))
                    .collect(Collectors.joining(",")) + "}}";
        }).collect(Collectors.joining(",\n", "[", "]\n"));
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void write(Path file, String json) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path next = Files.createTempFile(dir, file.getFileName().toString(), ".next");
        Files.writeString(next, json);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
