package dev.switchback.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No cluster runs here, so the manifests under {@code deploy/kubernetes} are kept honest another way: each is read
 * with fabric8's model, a field the model does not know (a typo) fails, and all are created on fabric8's mock API
 * server and read back. What they must say follows from the services' own configuration and from what the drivers
 * do on a cluster: RBAC limited to those verbs, nothing listening on loopback only, probes on the health endpoints.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    private static final List<String> SERVICES = List.of("release-api", "db-migrator", "deployer", "traffic-switcher");
    private static final String NAMESPACE = "switchback";

    static KubernetesClient client;

    @Test
    @SuppressWarnings("unchecked")
    void shouldListEveryManifestInTheKustomization() throws IOException {
        Map<String, Object> kustomization;
        try (Reader reader = Files.newBufferedReader(MANIFESTS.resolve("kustomization.yaml"))) {
            kustomization = new Yaml().load(reader);
        }
        Set<String> files;
        try (Stream<Path> list = Files.list(MANIFESTS)) {
            files = list.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .filter(f -> !f.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(new TreeSet<>((List<String>) kustomization.get("resources"))).isEqualTo(files);
        assertThat(kustomization.get("namespace")).isEqualTo(NAMESPACE);
    }

    @Test
    void shouldHaveNoFieldTheKubernetesModelDoesNotKnow() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (Path file : manifests()) {
            for (Object document : documents(file)) {
                HasMetadata object = Serialization.unmarshal(Serialization.asJson(document), HasMetadata.class);
                Object back = new Yaml().load(Serialization.asYaml(object));
                missing(file.getFileName() + ":" + object.getKind(), document, back, unknown);
            }
        }
        assertThat(unknown).as("fields dropped by the model: typos or fields of another version").isEmpty();
    }

    @Test
    void shouldApplyToTheApiServerAndRunEachServiceAsItsOwnConfigurationSays() throws IOException {
        for (Path file : manifests()) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata object : client.load(in).items()) {
                    client.resource(object).create();
                }
            }
        }
        ConfigMap config = client.configMaps().inNamespace(NAMESPACE).withName("switchback").get();
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName("switchback").get();
        for (String name : SERVICES) {
            Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
            assertThat(deployment).as(name).isNotNull();
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            Properties own = properties(name);
            Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));

            assertThat(container.getImage()).as(name).startsWith("switchback/" + name + ":");
            assertThat(env.get("QUARKUS_HTTP_HOST").getValue()).as(name + " must not listen on loopback only").isEqualTo("0.0.0.0");
            assertThat(env.get("QUARKUS_HTTP_PORT").getValue()).as(name).isEqualTo(own.getProperty("quarkus.http.port"));
            assertThat(container.getPorts().get(0).getContainerPort()).as(name)
                    .isEqualTo(Integer.parseInt(own.getProperty("quarkus.http.port")));
            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL").getValue()).as(name)
                    .isEqualTo("$(POSTGRES_URL)/" + own.getProperty("quarkus.datasource.jdbc.url").replaceAll(".*/", ""));
            assertThat(env.get("SWITCHBACK_REPLICA").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            for (EnvVar var : container.getEnv()) {
                if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                    assertThat(config.getData()).as(name + " " + var.getName()).containsKey(var.getValueFrom().getConfigMapKeyRef().getKey());
                }
                if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                    assertThat(secret.getStringData()).as(name + " " + var.getName()).containsKey(var.getValueFrom().getSecretKeyRef().getKey());
                }
            }
            Service service = client.services().inNamespace(NAMESPACE).withName(name).get();
            assertThat(service.getSpec().getSelector()).as(name)
                    .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
            String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
            assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName(account).get()).as(name).isNotNull();
        }
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("traffic-switcher").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("SWITCHBACK_SWITCHER_PROMETHEUS_URL"));
    }

    @Test
    void shouldGrantOnlyTheDriversVerbsToOnlyTheServicesThatActOnTheCluster() throws IOException {
        for (Path file : manifests()) {
            try (InputStream in = Files.newInputStream(file)) {
                client.load(in).items().forEach(object -> client.resource(object).createOr(existing -> existing.update()));
            }
        }
        ClusterRole role = client.rbac().clusterRoles().withName("switchback-drivers").get();
        Map<String, Set<String>> granted = new java.util.TreeMap<>();
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*", "secrets");
            assertThat(rule.getApiGroups()).doesNotContain("*");
            rule.getResources().forEach(r -> granted.computeIfAbsent(r, k -> new TreeSet<>()).addAll(rule.getVerbs()));
        }
        Set<String> write = Set.of("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(granted).containsOnlyKeys("deployments", "services", "httproutes", "pods", "pods/log", "events");
        assertThat(granted.get("deployments")).isEqualTo(write);
        assertThat(granted.get("services")).isEqualTo(write);
        assertThat(granted.get("httproutes")).isEqualTo(write);
        // Read, and patched by isolation (the serving label), never created or deleted.
        assertThat(granted.get("pods")).isEqualTo(Set.of("get", "list", "watch", "patch"));
        assertThat(granted.get("pods/log")).isEqualTo(Set.of("get", "list", "watch"));
        assertThat(granted.get("events")).isEqualTo(Set.of("get", "list", "watch"));

        RoleBinding binding = client.rbac().roleBindings().inNamespace("apps").withName("switchback-drivers").get();
        assertThat(binding.getRoleRef().getName()).isEqualTo("switchback-drivers");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("switchback"));
        for (String name : List.of("release-api", "db-migrator")) {
            assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getSpec().getTemplate()
                    .getSpec().getServiceAccountName()).as(name + " needs no API access").isEqualTo("switchback-no-api");
        }
        assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName("switchback-no-api").get()
                .getAutomountServiceAccountToken()).isFalse();
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> list = Files.list(MANIFESTS)) {
            return list.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList();
        }
    }

    private static List<Object> documents(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return StreamSupport.stream(new Yaml().loadAll(reader).spliterator(), false).filter(d -> d != null).toList();
        }
    }

    /** Every key path of the source that the round trip through the model lost. */
    @SuppressWarnings("unchecked")
    private static void missing(String path, Object source, Object back, List<String> unknown) {
        if (source instanceof Map<?, ?> map) {
            if (!(back instanceof Map<?, ?> backMap)) {
                unknown.add(path);
                return;
            }
            map.forEach((key, value) -> {
                if (!backMap.containsKey(key)) {
                    unknown.add(path + "." + key);
                } else {
                    missing(path + "." + key, value, backMap.get(key), unknown);
                }
            });
        } else if (source instanceof List<?> list) {
            if (!(back instanceof List<?> backList) || backList.size() != list.size()) {
                unknown.add(path + "[]");
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                missing(path + "[" + i + "]", list.get(i), backList.get(i), unknown);
            }
        }
    }

    private static Properties properties(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }
}
