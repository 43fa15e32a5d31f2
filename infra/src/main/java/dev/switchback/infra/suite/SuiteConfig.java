package dev.switchback.infra.suite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the suite runs and on which ports.
 *
 * @param projectRoot    the checkout: services' jars are found under it
 * @param home           the suite's own directory ({@code .suite}): data, logs, pid files
 * @param kafkaPort      Kafka client port
 * @param controllerPort Kafka KRaft controller port
 * @param postgresPort   PostgreSQL port
 * @param servicePorts   HTTP port of each service, in start order
 * @param routerPort     port sample-app's router serves
 * @param bootstrapSample whether to register sample-app and ship 1.0.0 once everything is up
 */
public record SuiteConfig(Path projectRoot, Path home, int kafkaPort, int controllerPort, int postgresPort,
                          Map<String, Integer> servicePorts, int routerPort, boolean bootstrapSample) {

    /** RELEASE_API: the service CI talks to. */
    public static final String RELEASE_API = "release-api";
    /** SAMPLE_APP: the demo service released by the suite. */
    public static final String SAMPLE_APP = "sample-app";
    /** DATABASES: Switchback's own databases, one per service, and sample-app's target database. */
    public static final String[] DATABASES = {"release_api", "db_migrator", "deployer", "traffic_switcher", "sample_app"};

    /** The ports the README documents; each can be moved with an environment variable. */
    public static SuiteConfig defaults(Path projectRoot) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(RELEASE_API, env("RELEASE_API_PORT", 8080));
        ports.put("db-migrator", env("DB_MIGRATOR_PORT", 8081));
        ports.put("deployer", env("DEPLOYER_PORT", 8082));
        ports.put("traffic-switcher", env("TRAFFIC_SWITCHER_PORT", 8083));
        return new SuiteConfig(projectRoot, projectRoot.resolve(".suite"), env("KAFKA_PORT", 9092),
                env("KAFKA_CONTROLLER_PORT", 9093), env("POSTGRES_PORT", 15432), ports,
                env("SAMPLE_APP_PORT", 9000), true);
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    public Path logs() {
        return home.resolve("logs");
    }

    /** Where the deployer keeps instances' pid files and logs. */
    public Path instances() {
        return home.resolve("instances");
    }

    public String url(String service) {
        return "http://127.0.0.1:" + servicePorts.get(service);
    }

    private static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
