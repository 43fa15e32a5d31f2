package dev.switchback.switcher.router;

import dev.switchback.events.RouterSpec;
import dev.switchback.infra.test.HttpBackend;
import dev.switchback.switcher.router.kubernetes.KubernetesRouter;
import dev.switchback.switcher.router.kubernetes.MockCluster;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.Map;

/**
 * The router contract through the kubernetes router in mode gateway, against fabric8's mock API server with a
 * played Gateway controller that accepts each change 200 ms after it sees it: "not yet" until then, then "yes".
 * Backends are routed to by their Services' names, as the kubernetes runtime gives endpoints.
 */
class KubernetesRouterContractTest extends RouterContract {

    private MockCluster cluster;

    @Override
    Router start(Path work) {
        cluster = new MockCluster().gateway(MockCluster.Gateway.ACCEPT, 200);
        return new KubernetesRouter(cluster.client());
    }

    /** The objects live on the cluster, which outlives the switcher. */
    @Override
    Router restart(Router previous, Path work) {
        return new KubernetesRouter(cluster.client());
    }

    @Override
    void stop(Router router) {
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Override
    boolean settlesAtOnce() {
        return false;
    }

    @Override
    RouterSpec spec(int port) {
        return new RouterSpec("kubernetes", port, Map.of("namespace", MockCluster.NAMESPACE, "mode", "gateway",
                "gateway", MockCluster.GATEWAY));
    }

    @Override
    String endpoint(HttpBackend backend) {
        return cluster.instance(backend == blue ? "app-blue" : "app-green", 8080);
    }
}
