package dev.switchback.e2e;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so this keeps it honest: valid YAML, every service
 * there, each pointed at its own database, its configured port and the topics' broker, with the files it mounts.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("release-api", "db-migrator", "deployer", "traffic-switcher");

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunEveryServiceWithTheSameSettingsAsItsOwnConfiguration() throws IOException {
        Map<String, Object> compose;
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(reader);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("kafka", "postgres", "bootstrap");

        for (String name : SERVICES) {
            assertThat(services).containsKey(name);
            Map<String, Object> service = services.get(name);
            Map<String, String> env = (Map<String, String>) service.get("environment");
            Properties own = properties(name);
            String database = own.getProperty("quarkus.datasource.jdbc.url").replaceAll(".*/", "");

            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL")).as(name).isEqualTo("jdbc:postgresql://postgres:5432/" + database);
            assertThat(env.get("QUARKUS_HTTP_PORT")).as(name).isEqualTo(own.getProperty("quarkus.http.port"));
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as(name).isEqualTo("kafka:9092");
            assertThat(service.get("command")).as(name).isEqualTo(List.of("java", "-jar", "/app/quarkus-run.jar"));
            assertThat((List<String>) service.get("volumes")).as(name)
                    .contains("./" + name + "/target/quarkus-app:/app:ro");
            assertThat(Files.readString(ROOT.resolve("docker/postgres-init.sql"))).contains("CREATE DATABASE " + database + ";");
        }
        assertThat(services.get("traffic-switcher").get("network_mode"))
                .as("the router reaches instances on the deployer's loopback").isEqualTo("service:deployer");
        assertThat((List<String>) services.get("deployer").get("ports")).contains("9000:9000", "8083:8083");
        assertThat(Files.readString(ROOT.resolve("docker/bootstrap.sh"))).contains("\"port\": 9000");
    }

    private static Properties properties(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }
}
