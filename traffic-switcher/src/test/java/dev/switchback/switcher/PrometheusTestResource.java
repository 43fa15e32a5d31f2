package dev.switchback.switcher;

import dev.switchback.infra.PrometheusServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/** A real Prometheus server for the switcher under test, which it is configured to ask. */
public class PrometheusTestResource implements QuarkusTestResourceLifecycleManager {

    static PrometheusServer server;

    @Override
    public Map<String, String> start() {
        server = PrometheusServer.start(Path.of("target", "prometheus-" + ProcessHandle.current().pid()).toAbsolutePath());
        return Map.of("switchback.switcher.prometheus.url", server.url().toString(),
                "switchback.switcher.prometheus.min-query-interval", "250ms");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
