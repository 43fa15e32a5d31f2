package dev.switchback.deployer.instance.runtime.kubernetes;

import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.events.KubernetesSettings;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RuntimeSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opt-in, against a real cluster (kind, k3d; {@code KUBECONFIG} set and {@code -Dswitchback.kubernetes.it=true}):
 * what the mock API server cannot show. A real Deployment controller writes the status the driver reads through the
 * status subresource; the JSON patches of replicas and labels apply as sent; the deployer's credentials are allowed
 * the verbs the README lists. Runs nginx-unprivileged (it listens on 8080 and answers {@code /}).
 */
class RealClusterTest {

    /** IMAGE: a small public image listening on 8080 without root. */
    private static final String IMAGE = "nginxinc/nginx-unprivileged:{version}";

    @Test
    void shouldShipIsolateAndRetireADeploymentOnARealCluster() throws Exception {
        boolean enabled = Boolean.getBoolean("switchback.kubernetes.it");
        String kubeconfig = System.getenv("KUBECONFIG");
        assumeTrue(enabled && kubeconfig != null && !kubeconfig.isBlank(), "skipped: no real cluster here; run with "
                + "KUBECONFIG pointing at a disposable cluster (kind, k3d) and -Dswitchback.kubernetes.it=true");
        String namespace = "switchback-it-" + UUID.randomUUID().toString().substring(0, 6);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
            try {
                KubernetesRuntimeDriver driver = new KubernetesRuntimeDriver(client, () -> Duration.ofSeconds(60));
                ReleaseRef release = new ReleaseRef(UUID.randomUUID().toString(), "demo", "it", "1.27-alpine");
                Launch launch = new Launch("demo-it-1", release.version(), null, new RuntimeSpec("kubernetes", null, Map.of(),
                        null, new KubernetesSettings(namespace, IMAGE, 2, 8080, null, null, null)), "/", release);

                Handle handle = driver.start(launch);
                Answer answer = awaitSettled(driver, handle, Duration.ofMinutes(3));
                assertThat(answer.isYes()).as(answer.reason()).isTrue();

                driver.isolate(handle);
                List<Pod> pods = client.pods().inNamespace(namespace).withLabel(Labels.RELEASE, release.id()).list().getItems();
                assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                        .containsEntry(Labels.SERVING, "false"));
                Thread.sleep(3000); // the endpoints controller catches up with the relabelled pods
                assertThat(client.endpoints().inNamespace(namespace).withName(handle.get(KubernetesRuntimeDriver.DEPLOYMENT))
                        .get().getSubsets()).allSatisfy(s -> assertThat(s.getAddresses()).isNullOrEmpty());

                driver.stop(handle);
                assertThat(client.apps().deployments().inNamespace(namespace)
                        .withName(handle.get(KubernetesRuntimeDriver.DEPLOYMENT)).get()).isNull();
            } finally {
                client.namespaces().withName(namespace).delete();
            }
        }
    }

    private static Answer awaitSettled(KubernetesRuntimeDriver driver, Handle handle, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        Answer answer = driver.readiness(handle);
        while (answer.status() == Answer.Status.NOT_YET && Instant.now().isBefore(until)) {
            Thread.sleep(1000);
            answer = driver.readiness(handle);
        }
        return answer;
    }
}
