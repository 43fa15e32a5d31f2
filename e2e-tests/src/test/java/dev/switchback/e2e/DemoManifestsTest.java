package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo app of the real-cluster run ({@code deploy/demo}) applies as it stands: every manifest loads with fabric8's
 * model and is created on its mock API server, and its parts agree with each other, with {@code deploy/kubernetes}
 * and with its service spec: the stable Service the spec's router names, in the namespace its runtime and router
 * name, forwarding to the container port name every green has, and the drivers' role bound there.
 */
@EnableKubernetesMockClient(crud = true)
class DemoManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = ROOT.resolve("deploy/demo");
    private static final String NAMESPACE = "switchback-demo";

    static KubernetesClient client;

    @Test
    @SuppressWarnings("unchecked")
    void shouldApplyEveryDemoManifestAndAgreeWithItsServiceSpec() throws IOException {
        Map<String, Object> kustomization;
        try (Reader reader = Files.newBufferedReader(DEMO.resolve("kustomization.yaml"))) {
            kustomization = new Yaml().load(reader);
        }
        List<Path> manifests;
        try (Stream<Path> list = Files.list(DEMO)) {
            manifests = list.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList();
        }
        assertThat(new TreeSet<>((List<String>) kustomization.get("resources")))
                .isEqualTo(manifests.stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        for (Path file : manifests) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata object : client.load(in).items()) {
                    assertThat(client.resource(object).create()).as(file.getFileName().toString()).isNotNull();
                }
            }
        }

        JsonNode spec = EventCodec.mapper().readTree(Files.readString(DEMO.resolve("spec.json")));
        assertThat(spec.at("/runtime/kubernetes/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(spec.at("/router/settings/namespace").asText()).isEqualTo(NAMESPACE);
        Service stable = client.services().inNamespace(NAMESPACE).withName(spec.at("/router/settings/service").asText()).get();
        assertThat(stable).as("the stable Service the spec's router names").isNotNull();
        assertThat(stable.getSpec().getPorts().get(0).getPort()).isEqualTo(spec.at("/router/port").asInt());
        // The deployer names every green's container port "http" (GreenManifests); a user's Service keeps its ports.
        assertThat(stable.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        RoleBinding binding = client.rbac().roleBindings().inNamespace(NAMESPACE).withName("switchback-drivers").get();
        String drivers = Files.readString(ROOT.resolve("deploy/kubernetes/rbac.yaml"));
        assertThat(drivers).contains("kind: ClusterRole\nmetadata:\n  name: " + binding.getRoleRef().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getName()).isEqualTo("switchback");
            assertThat(subject.getNamespace()).isEqualTo("switchback");
        });
    }
}
