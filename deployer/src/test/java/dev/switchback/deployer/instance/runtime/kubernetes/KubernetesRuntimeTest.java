package dev.switchback.deployer.instance.runtime.kubernetes;

import dev.switchback.deployer.DeployerTest;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.deployer.instance.service.Reaper;
import dev.switchback.deployer.instance.service.Recovery;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.InstanceRetired;
import dev.switchback.events.KubernetesSettings;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.infra.InfraTestResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The {@code kubernetes} runtime driver inside the deployer, against fabric8's mock API server in CRUD mode with a
 * played Deployment controller, real Kafka and PostgreSQL: green is ready only once its Deployment's replicas are
 * available, fails with its pods' reason, is isolated with its pods kept, retired by scaling to zero and then
 * deleting, adopted by label after a restart, and an API server's refusal (RBAC, a missing namespace) fails the
 * release with what the server said.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "deployer_k8s_test"))
class KubernetesRuntimeTest extends DeployerTest {

    /** NAMESPACE: the namespace of the environment under test. */
    private static final String NAMESPACE = "team-a";
    /** TIMEOUT: how long a test waits for an event. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    Reaper reaper;

    @Inject
    Recovery recovery;

    private KubernetesClient client;
    private PlayedDeploymentController controller;

    @BeforeEach
    void playTheDeploymentController() {
        client = server.getClient();
        controller = new PlayedDeploymentController(client, NAMESPACE).delay(Duration.ofMillis(1500))
                .behave("-missing", PlayedDeploymentController.Behaviour.IMAGE_PULL_BACK_OFF)
                .behave("-crash", PlayedDeploymentController.Behaviour.CRASH_LOOP)
                .behave("-pending", PlayedDeploymentController.Behaviour.PENDING);
    }

    @AfterEach
    void stopTheController() {
        controller.close();
    }

    @Test
    void shouldCallGreenReadyOnlyOnceEveryReplicaOfItsDeploymentIsAvailable() {
        ReleaseRef release = release("1.4.0");

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(NAMESPACE, 2, 30), "nothing to migrate"));
        GreenDeploying deploying = kafka.await(GreenDeploying.class, release.id(), TIMEOUT);
        String name = service + "-" + release.id().substring(0, 8);
        Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
        assertThat(deployment.getMetadata().getLabels()).containsEntry(Labels.SERVICE, service)
                .containsEntry(Labels.ENVIRONMENT, "production").containsEntry(Labels.RELEASE, release.id())
                .containsEntry(Labels.COLOR, "green");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.test/team/" + service + ":1.4.0");
        assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("LOG_FORMAT=json", "PORT=8080", "SERVICE_VERSION=1.4.0");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("256Mi");
        Service front = client.services().inNamespace(NAMESPACE).withName(name).get();
        assertThat(front.getSpec().getSelector()).containsEntry(Labels.RELEASE, release.id())
                .containsEntry(Labels.SERVING, "true");
        assertThat(deploying.endpoint()).isEqualTo("http://" + name + "." + NAMESPACE + ".svc:8080");

        GreenReady ready = kafka.await(GreenReady.class, release.id(), TIMEOUT);

        assertThat(ready.endpoint()).isEqualTo(deploying.endpoint());
        // Ready came after the controller reported both replicas available, never before.
        assertThat(controller.history()).contains(name + ": available");
        assertThat(kafka.typesOf(release.id(), "switchback.deployments"))
                .doesNotContain("dev.switchback.deployment.green-failed");
    }

    @Test
    void shouldFailTheReleaseWithThePodsReasonAndKeepThePodsIsolatedWhenTheImageCannotBePulled() {
        ReleaseRef release = release("2.0.0-missing");

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(NAMESPACE, 2, 30), "nothing to migrate"));
        GreenFailed failed = kafka.await(GreenFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("ImagePullBackOff").contains("0 of 2 replicas available")
                .contains("manifest unknown").doesNotContain("Exception");
        String name = service + "-" + release.id().substring(0, 8);
        given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '2.0.0-missing' }.state", equalTo("ISOLATED"));
        // Kept for analysis, but out of every Service's selection.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pods(release)).hasSize(2)
                .allSatisfy(pod -> assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.SERVING, "false")));
        Map<String, String> selector = client.services().inNamespace(NAMESPACE).withName(name).get().getSpec().getSelector();
        assertThat(pods(release)).noneMatch(pod -> pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getSpec().getReplicas()).isEqualTo(2);

        // A pod the ReplicaSet makes again comes from the template, serving "true", and stays out of selection too.
        client.pods().inNamespace(NAMESPACE).withName(name + "-pod-1").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pods(release)).hasSize(2)
                .anySatisfy(pod -> assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.SERVING, "true")));
        Map<String, String> isolated = client.services().inNamespace(NAMESPACE).withName(name).get().getSpec().getSelector();
        assertThat(pods(release)).noneMatch(pod -> pod.getMetadata().getLabels().entrySet().containsAll(isolated.entrySet()));
    }

    @Test
    void shouldFailTheReleaseWithTheCrashLoopAndTheContainersLastExit() {
        ReleaseRef release = release("2.1.0-crash");

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(NAMESPACE, 1, 30), "nothing to migrate"));
        GreenFailed failed = kafka.await(GreenFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("CrashLoopBackOff").contains("last exit 1 Error");
    }

    @Test
    void shouldFailAGreenThatIsStillNotAvailableAtItsHealthDeadlineWithWhatItWaitsFor() {
        ReleaseRef release = release("2.2.0-pending");

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(NAMESPACE, 1, 3), "nothing to migrate"));
        GreenFailed failed = kafka.await(GreenFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("not healthy by its deadline").contains("0 of 1 replicas available")
                .contains("ContainerCreating");
    }

    @Test
    void shouldScaleAnIsolatedGreenToZeroAndThenDeleteItOnceItsRetentionIsOver() throws Exception {
        ReleaseRef release = release("3.0.0-missing");
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(NAMESPACE, 2, 30), "nothing to migrate"));
        kafka.await(GreenFailed.class, release.id(), TIMEOUT);
        String name = service + "-" + release.id().substring(0, 8);
        await().atMost(TIMEOUT).until(() -> pods(release).size() == 2);
        Thread.sleep(20);

        assertThat(reaper.retireExpired(Duration.ofMillis(10))).isPositive();

        InstanceRetired retired = kafka.await(InstanceRetired.class, release.id(), TIMEOUT);
        assertThat(retired.reason()).contains("retention");
        // The retirement commits first; the stopper scales down and deletes after it.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(name).get()).isNull();
            assertThat(client.services().inNamespace(NAMESPACE).withName(name).get()).isNull();
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(controller.history()).containsSubsequence(
                name + ": replicas 2", name + ": replicas 0", name + ": deleted"));
        // The pods were gone before the Deployment was deleted: the scale-down was waited for.
        assertThat(pods(release)).isEmpty();
    }

    @Test
    void shouldAdoptTheDeploymentItFindsByLabelWhenAStartIsRedeliveredAfterTheDeployerDied() {
        ReleaseRef release = release("4.0.0");
        ReleaseSpec spec = spec(NAMESPACE, 1, 30);
        // What a deployer that died after creating the Deployment, before recording its instance, left behind.
        String instanceId = service + "-production-" + release.id().substring(0, 8);
        Deployment left = client.apps().deployments().inNamespace(NAMESPACE)
                .resource(GreenManifests.deployment(Launch.of(instanceId, release, spec))).create();

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec, "nothing to migrate"));
        kafka.await(GreenReady.class, release.id(), TIMEOUT);

        List<Deployment> found = client.apps().deployments().inNamespace(NAMESPACE)
                .withLabel(Labels.RELEASE, release.id()).list().getItems();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).getMetadata().getUid()).isEqualTo(left.getMetadata().getUid());
    }

    @Test
    void shouldAdoptAStartingGreensDeploymentWhenTheDeployerRestartsMidReleaseAndCallItReadyOnceAvailable() {
        controller.behave("-slow", PlayedDeploymentController.Behaviour.PENDING);
        ReleaseRef release = release("5.0.0-slow");
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(NAMESPACE, 1, 60), "nothing to migrate"));
        GreenDeploying deploying = kafka.await(GreenDeploying.class, release.id(), TIMEOUT);
        String name = service + "-" + release.id().substring(0, 8);
        String uid = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getMetadata().getUid();

        recovery.recover();

        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withLabel(Labels.RELEASE, release.id()).list()
                .getItems()).singleElement().satisfies(d -> assertThat(d.getMetadata().getUid()).isEqualTo(uid));
        given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '5.0.0-slow' }.state", equalTo("STARTING"))
                .body("find { it.version == '5.0.0-slow' }.endpoint", equalTo(deploying.endpoint()));
        controller.behave("-slow", PlayedDeploymentController.Behaviour.HEALTHY);
        GreenReady ready = kafka.await(GreenReady.class, release.id(), TIMEOUT);
        assertThat(ready.endpoint()).isEqualTo(deploying.endpoint());
    }

    @Test
    void shouldFailTheReleaseWithTheRbacRefusalWhenTheApiServerForbidsCreatingTheDeployment() {
        String locked = "locked-" + id;
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + locked + "/deployments")
                .andReturn(403, new StatusBuilder().withKind("Status").withApiVersion("v1").withStatus("Failure")
                        .withReason("Forbidden").withCode(403).withMessage("deployments.apps is forbidden: User "
                                + "\"system:serviceaccount:switchback:deployer\" cannot create resource \"deployments\" in"
                                + " API group \"apps\" in the namespace \"" + locked + "\"").build()).always();
        ReleaseRef release = release("6.0.0");

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(locked, 1, 30), "nothing to migrate"));
        GreenFailed failed = kafka.await(GreenFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).startsWith("could not start: forbidden by the cluster's RBAC: the deployer's service "
                        + "account may not create Deployment " + service + "-" + release.id().substring(0, 8)
                        + " in namespace " + locked + " (403)")
                .contains("cannot create resource \"deployments\"").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void shouldFailTheReleaseNamingTheNamespaceWhenItDoesNotExist() {
        String missing = "missing-" + id;
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + missing + "/deployments")
                .andReturn(404, new StatusBuilder().withKind("Status").withApiVersion("v1").withStatus("Failure")
                        .withReason("NotFound").withCode(404).withMessage("namespaces \"" + missing + "\" not found")
                        .build()).always();
        ReleaseRef release = release("6.1.0");

        kafka.publish("/switchback/db-migrator", new MigrationSkipped(release, spec(missing, 1, 30), "nothing to migrate"));
        GreenFailed failed = kafka.await(GreenFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("(404): namespaces \"" + missing + "\" not found").doesNotContain("Exception");
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "production", version);
    }

    private ReleaseSpec spec(String namespace, int replicas, int deadlineSeconds) {
        KubernetesSettings settings = new KubernetesSettings(namespace, "registry.example.test/team/" + service + ":{version}",
                replicas, 8080, new KubernetesSettings.Resources(Map.of("cpu", "100m", "memory", "128Mi"),
                Map.of("memory", "256Mi")), null, null);
        return new ReleaseSpec(null, new RuntimeSpec("kubernetes", null, Map.of("LOG_FORMAT", "json"), null, settings),
                new RouterSpec("embedded", 9999), new HealthSpec("/health", deadlineSeconds), null, List.of());
    }

    private List<Pod> pods(ReleaseRef release) {
        return client.pods().inNamespace(NAMESPACE).withLabel(Labels.RELEASE, release.id()).list().getItems();
    }
}
