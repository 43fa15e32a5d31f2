package dev.switchback.switcher.router.kubernetes;

import dev.switchback.switcher.router.Verification;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ServiceResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mode {@code service}, blue-green: the stable Service users call selects the pods green's own Service selects. A
 * switch replaces the stable Service's selector in one write, so there is no split: weights other than one endpoint
 * at 100 are refused.
 */
final class ServiceSelectorRoute implements KubernetesRoute {

    // Selects no pod: a route ensured before its first switch has no upstream.
    static final Map<String, String> NO_UPSTREAM = Map.of("switchback.dev/no-upstream", "true");

    private final KubernetesClient client;

    ServiceSelectorRoute(KubernetesClient client) {
        this.client = client;
    }

    private ServiceResource<Service> service(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name);
    }

    @Override
    public void ensure(String route, RouteSettings settings, int port) {
        ServiceResource<Service> resource = service(settings.namespace(), settings.service());
        Service stable = resource.get();
        if (stable != null) {
            Labels.mark(client, resource, stable, route);
            return;
        }
        client.services().inNamespace(settings.namespace()).resource(new ServiceBuilder()
                .withNewMetadata().withName(settings.service()).withNamespace(settings.namespace())
                .withLabels(Labels.created(route)).endMetadata()
                .withNewSpec().withSelector(NO_UPSTREAM)
                .addNewPort().withName("http").withPort(port).withNewTargetPort(port).endPort()
                .endSpec().build()).create();
    }

    @Override
    public void setWeights(String route, RouteSettings settings, Map<InstanceEndpoint, Integer> weights) {
        InstanceEndpoint green = only(weights);
        Service instance = service(green.namespace(), green.service()).get();
        if (instance == null || instance.getSpec().getSelector() == null || instance.getSpec().getSelector().isEmpty()) {
            throw new IllegalStateException("Service " + green.namespace() + "/" + green.service() + " of "
                    + green.endpoint() + " does not exist or selects nothing");
        }
        ServiceResource<Service> resource = service(settings.namespace(), settings.service());
        Service stable = resource.get();
        if (stable == null) {
            throw new IllegalStateException("stable Service " + settings.namespace() + "/" + settings.service()
                    + " of " + route + " does not exist: ensure the route first");
        }
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(Map.of("op", "replace", "path", "/spec/selector", "value", instance.getSpec().getSelector()));
        // A stable Service Switchback created forwards to the port green's pods listen on; a user's keeps its ports.
        if (Labels.createdBySwitchback(stable) && !instance.getSpec().getPorts().isEmpty()) {
            ops.add(Map.of("op", "replace", "path", "/spec/ports/0/targetPort",
                    "value", instance.getSpec().getPorts().get(0).getTargetPort()));
        }
        Labels.jsonPatch(client, resource, ops);
    }

    @Override
    public Verification verify(String route, RouteSettings settings, Map<String, Integer> expected) {
        if (expected.size() != 1) {
            return Verification.no("canary needs mode gateway: " + route + " cannot serve " + expected);
        }
        Service stable = service(settings.namespace(), settings.service()).get();
        if (stable == null || !Labels.routes(stable, route)) {
            return Verification.no("stable Service " + settings.namespace() + "/" + settings.service() + " of "
                    + route + " does not exist or is not routed by Switchback");
        }
        InstanceEndpoint green = InstanceEndpoint.parse(expected.keySet().iterator().next());
        Service instance = service(green.namespace(), green.service()).get();
        if (instance == null) {
            return Verification.no("Service " + green.namespace() + "/" + green.service() + " of " + green.endpoint()
                    + " does not exist");
        }
        Map<String, String> selector = stable.getSpec().getSelector();
        return selector != null && selector.equals(instance.getSpec().getSelector()) ? Verification.yes()
                : Verification.no("stable Service " + settings.service() + " selects " + selector + ", not "
                + instance.getSpec().getSelector() + " of " + green.service());
    }

    /** The instance Service whose selector the stable one has, at 100; none when it selects no instance's pods. */
    @Override
    public Map<String, Integer> weights(String route, RouteSettings settings) {
        Service stable = service(settings.namespace(), settings.service()).get();
        if (stable == null || !Labels.routes(stable, route) || stable.getSpec().getSelector() == null) {
            return Map.of();
        }
        for (Service instance : client.services().inNamespace(settings.namespace()).list().getItems()) {
            List<ServicePort> ports = instance.getSpec().getPorts();
            if (!instance.getMetadata().getName().equals(settings.service()) && ports != null && !ports.isEmpty()
                    && stable.getSpec().getSelector().equals(instance.getSpec().getSelector())) {
                return Map.of(new InstanceEndpoint(instance.getMetadata().getName(), settings.namespace(),
                        ports.get(0).getPort()).endpoint(), 100);
            }
        }
        return Map.of();
    }

    @Override
    public void remove(String route, RouteSettings settings) {
        Labels.release(client, service(settings.namespace(), settings.service()), route);
    }

    @Override
    public Set<String> routes(String namespace) {
        return Labels.routeNames(client.services().inNamespace(namespace).withLabel(Labels.ROUTE).list().getItems());
    }

    private static InstanceEndpoint only(Map<InstanceEndpoint, Integer> weights) {
        if (weights.size() != 1) {
            throw new IllegalArgumentException("canary needs mode gateway: the service mode switches one endpoint at"
                    + " 100, not " + weights);
        }
        return weights.keySet().iterator().next();
    }
}
