package dev.switchback.switcher.router.kubernetes;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.Weights;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The kubernetes router's two modes against fabric8's mock API server, read back from the objects it writes. */
class KubernetesRouterTest {

    private static final String ROUTE = "app.prod";
    private static final Map<String, String> SERVICE_MODE = Map.of("namespace", MockCluster.NAMESPACE);
    private static final Map<String, String> GATEWAY_MODE = Map.of("namespace", MockCluster.NAMESPACE,
            "mode", "gateway", "gateway", MockCluster.GATEWAY, "hostnames", "app.example.test");

    private final MockCluster cluster = new MockCluster();
    private final KubernetesRouter router = new KubernetesRouter(cluster.client());
    private final String blue = cluster.instance("app-a1b2c3", 8080);
    private final String green = cluster.instance("app-d4e5f6", 8080);

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void shouldSwitchTheStableServicesSelectorToGreensAndBackInOneStep() {
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, SERVICE_MODE));
        assertThat(router.weights(ROUTE)).isEmpty();
        router.route(ROUTE, blue);
        assertThat(router.verifyWeights(ROUTE, Map.of(blue, 100)).isYes()).isTrue();

        router.route(ROUTE, green);

        assertThat(router.verifyWeights(ROUTE, Map.of(green, 100)).isYes()).isTrue();
        Verification old = router.verifyWeights(ROUTE, Map.of(blue, 100));
        assertThat(old.answer()).isEqualTo(Verification.Answer.NO);
        assertThat(old.reason()).contains("app-d4e5f6");
        assertThat(router.weights(ROUTE)).isEqualTo(Map.of(green, 100));
        Service stable = cluster.client().services().inNamespace(MockCluster.NAMESPACE).withName("app").get();
        assertThat(stable.getSpec().getSelector()).containsEntry("switchback.dev/release", "app-d4e5f6");
        assertThat(stable.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "switchback");

        router.route(ROUTE, blue);

        assertThat(router.verifyWeights(ROUTE, Map.of(blue, 100)).isYes()).isTrue();
        assertThat(router.current(ROUTE)).contains(blue);
    }

    @Test
    void shouldRefuseACanaryInServiceMode() {
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, SERVICE_MODE));

        assertThatThrownBy(() -> router.setWeights(ROUTE, Weights.of(blue, green, 10)))
                .hasMessageContaining("canary needs mode gateway");
        assertThat(router.verifyWeights(ROUTE, Weights.of(blue, green, 10)).answer())
                .isEqualTo(Verification.Answer.NO);
    }

    @Test
    void shouldRefuseEndpointsThatAreNotAnInstancesService() {
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, SERVICE_MODE));

        assertThatThrownBy(() -> router.route(ROUTE, "http://127.0.0.1:9101"))
                .hasMessageContaining("http://<service>.<namespace>.svc:<port>");
    }

    @Test
    void shouldRefuseUnknownOrMissingSettings() {
        assertThatThrownBy(() -> router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, Map.of())))
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80,
                Map.of("namespace", "demo", "colour", "x")))).hasMessageContaining("unknown");
        assertThatThrownBy(() -> router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80,
                Map.of("namespace", "demo", "mode", "gateway")))).hasMessageContaining("gateway");
        assertThat(router.routes()).isEmpty();
    }

    @Test
    void shouldKeepAUsersStableServiceWhenTheRouteIsRemoved() {
        cluster.client().services().inNamespace(MockCluster.NAMESPACE).resource(new ServiceBuilder()
                .withNewMetadata().withName("app").endMetadata().withNewSpec()
                .withSelector(Map.of("app", "legacy")).addNewPort().withPort(80).endPort().endSpec().build()).create();
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, SERVICE_MODE));
        router.route(ROUTE, green);
        assertThat(router.routes()).contains(ROUTE);

        router.removeRoute(ROUTE);

        Service stable = cluster.client().services().inNamespace(MockCluster.NAMESPACE).withName("app").get();
        assertThat(stable).isNotNull();
        assertThat(stable.getMetadata().getLabels()).doesNotContainKey(Labels.ROUTE);
        assertThat(stable.getSpec().getSelector()).containsEntry("switchback.dev/release", "app-d4e5f6");
    }

    @Test
    void shouldStepCanaryWeightsOnlyOnceTheGatewayAcceptsEachStep() {
        cluster.gateway(MockCluster.Gateway.ACCEPT, 150);
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, GATEWAY_MODE));
        router.route(ROUTE, blue);
        awaitYes(Map.of(blue, 100));

        for (int step : new int[] {10, 50, 100}) {
            Map<String, Integer> weights = Weights.of(blue, green, step);
            router.setWeights(ROUTE, weights);
            assertThat(router.verifyWeights(ROUTE, weights).answer()).isEqualTo(Verification.Answer.NOT_YET);
            awaitYes(weights);
            assertThat(router.weights(ROUTE)).isEqualTo(weights);
        }
        HTTPRoute route = cluster.client().resources(HTTPRoute.class).inNamespace(MockCluster.NAMESPACE)
                .withName("app").get();
        assertThat(route.getSpec().getHostnames()).containsExactly("app.example.test");
        assertThat(route.getSpec().getRules().get(0).getBackendRefs()).hasSize(1);
    }

    @Test
    void shouldAnswerNotYetWhileNoGatewayControllerAnswersAndNoWhenItRefuses() throws InterruptedException {
        cluster.gateway(MockCluster.Gateway.NEVER, 0);
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, GATEWAY_MODE));
        router.route(ROUTE, green);
        Thread.sleep(300);
        Verification waiting = router.verifyWeights(ROUTE, Map.of(green, 100));
        assertThat(waiting.answer()).isEqualTo(Verification.Answer.NOT_YET);
        assertThat(waiting.reason()).contains("not yet accepted");

        cluster.gateway(MockCluster.Gateway.REFUSE, 0);

        await().atMost(Duration.ofSeconds(5)).until(() ->
                router.verifyWeights(ROUTE, Map.of(green, 100)).answer() == Verification.Answer.NO);
        assertThat(router.verifyWeights(ROUTE, Map.of(green, 100)).reason()).contains("NotAllowedByListeners");
    }

    @Test
    void shouldReassertRoutesAfterARestart() {
        cluster.gateway(MockCluster.Gateway.ACCEPT, 50);
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, GATEWAY_MODE));
        Map<String, Integer> split = Weights.of(blue, green, 30);
        router.setWeights(ROUTE, split);
        awaitYes(split);

        KubernetesRouter restarted = new KubernetesRouter(cluster.client());
        assertThat(restarted.weights(ROUTE)).isEmpty();
        restarted.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, GATEWAY_MODE));

        assertThat(restarted.weights(ROUTE)).isEqualTo(split);
        assertThat(restarted.routes()).containsExactly(ROUTE);
        await().atMost(Duration.ofSeconds(5)).until(() -> restarted.verifyWeights(ROUTE, split).isYes());
    }

    @Test
    void shouldAnswerAForbiddenApiServerWithAClearNo() {
        router.ensureRoute(ROUTE, new RouterSpec("kubernetes", 80, SERVICE_MODE));
        router.route(ROUTE, blue);
        cluster.forbid("GET", "/api/v1/namespaces/demo/services/app");

        Verification verification = router.verifyWeights(ROUTE, Map.of(blue, 100));

        assertThat(verification.answer()).isEqualTo(Verification.Answer.NO);
        assertThat(verification.reason()).contains("403").contains("app.prod").contains("forbidden").doesNotContain("\tat ");
        assertThatThrownBy(() -> router.route(ROUTE, green)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("403");
    }

    private void awaitYes(Map<String, Integer> weights) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> router.verifyWeights(ROUTE, weights).isYes());
    }
}
