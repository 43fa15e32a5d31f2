package dev.switchback.switcher.router.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's Kubernetes mock server in CRUD mode, on plain HTTP, with the one controller the router needs played by
 * the test: a Gateway controller that writes an HTTPRoute's status for its current generation after a delay,
 * never, or refusing it (Accepted=False). The mock has no controllers of its own.
 */
public final class MockCluster implements AutoCloseable {

    public static final String NAMESPACE = "demo";
    public static final String GATEWAY = "public";

    /** What the played Gateway controller does with a route it sees. */
    public enum Gateway { ACCEPT, NEVER, REFUSE }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final ScheduledExecutorService controller = Executors.newSingleThreadScheduledExecutor();
    // When the controller first saw each route's generation: it answers for it once the delay has passed.
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private volatile Gateway gateway = Gateway.ACCEPT;
    private volatile long delayMillis;

    public MockCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ForbiddingDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        controller.scheduleWithFixedDelay(this::reconcile, 20, 20, TimeUnit.MILLISECONDS);
    }

    // Requests "METHOD path" the API server answers 403, as RBAC does; the mock's CRUD mode serves no expectations.
    private final java.util.Set<String> forbidden = ConcurrentHashMap.newKeySet();

    /** From now on, the API server forbids this method on this path (without query), as RBAC would. */
    public void forbid(String method, String path) {
        forbidden.add(method + " " + path);
    }

    private final class ForbiddingDispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath().split("\\?", 2)[0];
            if (forbidden.contains(request.getMethod() + " " + path)) {
                return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"" + path
                        + " is forbidden: User \\\"system:serviceaccount:switchback:switcher\\\" cannot "
                        + request.getMethod().toLowerCase() + " it\"}");
            }
            return super.dispatch(request);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public KubernetesMockServer server() {
        return server;
    }

    /** The Gateway controller from now on: what it does and how long after a route's change. */
    public MockCluster gateway(Gateway gateway, long delayMillis) {
        this.gateway = gateway;
        this.delayMillis = delayMillis;
        return this;
    }

    /** An instance's own Service, as the deployer's kubernetes runtime makes it; returns its endpoint. */
    public String instance(String name, int port) {
        client.services().inNamespace(NAMESPACE).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("switchback.dev/service", "app")).endMetadata()
                .withNewSpec().withSelector(Map.of("switchback.dev/service", "app", "switchback.dev/release", name))
                .addNewPort().withPort(port).withNewTargetPort(8080).endPort().endSpec().build()).createOr(r -> r.update());
        return "http://" + name + "." + NAMESPACE + ".svc:" + port;
    }

    private void reconcile() {
        try {
            for (HTTPRoute route : client.resources(HTTPRoute.class).inAnyNamespace().list().getItems()) {
                Long generation = route.getMetadata().getGeneration();
                String key = route.getMetadata().getNamespace() + "/" + route.getMetadata().getName() + "@" + generation
                        + "@" + route.getMetadata().getResourceVersion();
                long first = seen.computeIfAbsent(key, k -> System.nanoTime());
                if (gateway == Gateway.NEVER || answered(route, generation)
                        || System.nanoTime() - first < TimeUnit.MILLISECONDS.toNanos(delayMillis)) {
                    continue;
                }
                boolean accept = gateway == Gateway.ACCEPT;
                ParentReference parent = route.getSpec().getParentRefs().get(0);
                List<Condition> conditions = List.of(
                        condition("Accepted", accept, accept ? "Accepted" : "NotAllowedByListeners", generation),
                        condition("ResolvedRefs", true, "ResolvedRefs", generation));
                route.setStatus(new HTTPRouteStatusBuilder().addNewParent().withControllerName("test/gateway")
                        .withParentRef(parent).withConditions(conditions).endParent().build());
                client.resources(HTTPRoute.class).inNamespace(route.getMetadata().getNamespace()).resource(route)
                        .updateStatus();
            }
        } catch (RuntimeException e) {
            // A route changed or went between list and write: the next round sees it as it is.
        }
    }

    private static boolean answered(HTTPRoute route, Long generation) {
        return route.getStatus() != null && route.getStatus().getParents() != null
                && route.getStatus().getParents().stream().flatMap(p -> p.getConditions().stream())
                .anyMatch(c -> c.getType().equals("Accepted") && java.util.Objects.equals(c.getObservedGeneration(), generation));
    }

    private static Condition condition(String type, boolean status, String reason, Long generation) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(status ? "" : "no listener of Gateway " + GATEWAY + " allows this route")
                .withObservedGeneration(generation).withLastTransitionTime("2026-12-02T00:00:00Z").build();
    }

    @Override
    public void close() {
        controller.shutdownNow();
        client.close();
        server.destroy();
    }
}
