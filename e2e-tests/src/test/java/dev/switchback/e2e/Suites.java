package dev.switchback.e2e;

import dev.switchback.infra.Ports;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.suite.SuiteConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts the packaged suite for one end-to-end class: every port free, a home of its own under e2e-tests/target. */
final class Suites {

    /** SERVICES: the four services, each started as a packaged process. */
    static final List<String> SERVICES = List.of("release-api", "db-migrator", "deployer", "traffic-switcher");

    private Suites() {
    }

    /** Cleans the home, starts Kafka, PostgreSQL, the services and sample-app 1.0.0, and waits until all are ready. */
    static Suite start(String home) {
        return start(home, true);
    }

    /** Starts the suite as {@link #start(String)} does; without the sample-app's first release unless asked. */
    static Suite start(String home, boolean bootstrapSample) {
        return start(home, bootstrapSample, List.of());
    }

    /**
     * Starts the suite as {@link #start(String, boolean)} does, each service's JVM with these system properties
     * beside the suite's own options (e.g. where a cluster's API server is); the next start has none of them.
     */
    static Suite start(String home, boolean bootstrapSample, List<String> serviceProperties) {
        String jvm = System.getProperty("switchback.suite.jvm");
        if (!serviceProperties.isEmpty()) {
            System.setProperty("switchback.suite.jvm", (jvm == null ? Suite.JVM_OPTIONS : jvm) + " "
                    + String.join(" ", serviceProperties));
        }
        try {
            return startSuite(home, bootstrapSample);
        } finally {
            if (jvm == null) {
                System.clearProperty("switchback.suite.jvm");
            } else {
                System.setProperty("switchback.suite.jvm", jvm);
            }
        }
    }

    private static Suite startSuite(String home, boolean bootstrapSample) {
        Path root = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, Ports.free());
        }
        SuiteConfig config = new SuiteConfig(root, root.resolve("e2e-tests/target/" + home), Ports.free(), Ports.free(),
                Ports.free(), ports, Ports.free(), bootstrapSample);
        Suite.clean(config.home());
        return Suite.start(config);
    }
}
