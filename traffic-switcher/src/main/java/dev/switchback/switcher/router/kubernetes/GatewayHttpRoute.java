package dev.switchback.switcher.router.kubernetes;

import dev.switchback.switcher.router.Verification;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Mode {@code gateway}, canary: a Gateway API HTTPRoute whose first rule has one weighted backendRef per endpoint's
 * own Service. The API server stores a change at once, but only the Gateway controller serves it: so the weights
 * verify YES only once the route's status has the Gateway as a parent with Accepted and ResolvedRefs True for the
 * route's current generation; until then NOT_YET, and NO when the controller refuses the route.
 */
final class GatewayHttpRoute implements KubernetesRoute {

    private final KubernetesClient client;

    GatewayHttpRoute(KubernetesClient client) {
        this.client = client;
    }

    private Resource<HTTPRoute> resource(RouteSettings settings) {
        return client.resources(HTTPRoute.class).inNamespace(settings.namespace()).withName(settings.service());
    }

    @Override
    public void ensure(String route, RouteSettings settings, int port) {
        Resource<HTTPRoute> resource = resource(settings);
        HTTPRoute existing = resource.get();
        if (existing != null) {
            Labels.mark(client, resource, existing, route);
            return;
        }
        client.resources(HTTPRoute.class).inNamespace(settings.namespace()).resource(new HTTPRouteBuilder()
                .withNewMetadata().withName(settings.service()).withNamespace(settings.namespace())
                .withLabels(Labels.created(route)).endMetadata()
                .withNewSpec().addNewParentRef().withName(settings.gateway()).withNamespace(settings.gatewayNamespace())
                .endParentRef().withHostnames(settings.hostnames()).addNewRule().endRule().endSpec()
                .build()).create();
    }

    /** Replaces the first rule's backendRefs only: a user's matches, filters and other rules stay as they are. */
    @Override
    public void setWeights(String route, RouteSettings settings, Map<InstanceEndpoint, Integer> weights) {
        Resource<HTTPRoute> resource = resource(settings);
        HTTPRoute existing = resource.get();
        if (existing == null) {
            throw new IllegalStateException("HTTPRoute " + settings.namespace() + "/" + settings.service() + " of "
                    + route + " does not exist: ensure the route first");
        }
        List<Map<String, Object>> refs = new ArrayList<>();
        weights.forEach((endpoint, weight) -> {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("name", endpoint.service());
            if (!endpoint.namespace().equals(settings.namespace())) {
                ref.put("namespace", endpoint.namespace());
            }
            ref.put("port", endpoint.port());
            ref.put("weight", weight);
            refs.add(ref);
        });
        boolean hasRule = existing.getSpec().getRules() != null && !existing.getSpec().getRules().isEmpty();
        Labels.jsonPatch(client, resource, List.of(hasRule
                ? Map.of("op", "add", "path", "/spec/rules/0/backendRefs", "value", refs)
                : Map.of("op", "add", "path", "/spec/rules", "value", List.of(Map.of("backendRefs", refs)))));
    }

    @Override
    public Verification verify(String route, RouteSettings settings, Map<String, Integer> expected) {
        HTTPRoute current = resource(settings).get();
        if (current == null || !Labels.routes(current, route)) {
            return Verification.no("HTTPRoute " + settings.namespace() + "/" + settings.service() + " of " + route
                    + " does not exist or is not routed by Switchback");
        }
        Map<String, Integer> served = served(current, settings);
        if (!served.equals(expected)) {
            return Verification.no("HTTPRoute " + settings.service() + " has backendRefs "
                    + (served.isEmpty() ? "none" : served) + ", not " + expected);
        }
        Long generation = current.getMetadata().getGeneration();
        Optional<RouteParentStatus> parent = parent(current, settings);
        Optional<Condition> accepted = parent.flatMap(p -> condition(p, "Accepted", generation));
        Optional<Condition> resolved = parent.flatMap(p -> condition(p, "ResolvedRefs", generation));
        String waiting = "HTTPRoute " + settings.service() + " generation " + generation + " not yet ";
        if (accepted.isEmpty()) {
            return Verification.notYet(waiting + "accepted by Gateway " + settings.gateway());
        }
        if (!"True".equals(accepted.get().getStatus())) {
            return Verification.no("Gateway " + settings.gateway() + " does not accept HTTPRoute " + settings.service()
                    + ": " + accepted.get().getReason() + ": " + accepted.get().getMessage());
        }
        if (resolved.isEmpty() || !"True".equals(resolved.get().getStatus())) {
            return Verification.notYet(waiting + "resolved by Gateway " + settings.gateway()
                    + resolved.map(c -> ": " + c.getReason() + ": " + c.getMessage()).orElse(""));
        }
        return Verification.yes();
    }

    @Override
    public Map<String, Integer> weights(String route, RouteSettings settings) {
        HTTPRoute current = resource(settings).get();
        return current == null || !Labels.routes(current, route) ? Map.of() : served(current, settings);
    }

    @Override
    public void remove(String route, RouteSettings settings) {
        Labels.release(client, resource(settings), route);
    }

    @Override
    public Set<String> routes(String namespace) {
        return Labels.routeNames(client.resources(HTTPRoute.class).inNamespace(namespace).withLabel(Labels.ROUTE).list()
                .getItems());
    }

    /** The first rule's backendRefs as endpoints; a missing weight is 1, as the Gateway API has it; 0 serves none. */
    private static Map<String, Integer> served(HTTPRoute route, RouteSettings settings) {
        Map<String, Integer> served = new LinkedHashMap<>();
        List<HTTPRouteRule> rules = route.getSpec().getRules();
        if (rules == null || rules.isEmpty() || rules.get(0).getBackendRefs() == null) {
            return served;
        }
        for (HTTPBackendRef ref : rules.get(0).getBackendRefs()) {
            int weight = ref.getWeight() == null ? 1 : ref.getWeight();
            if (weight > 0 && ref.getPort() != null) {
                String namespace = ref.getNamespace() == null ? settings.namespace() : ref.getNamespace();
                served.put(new InstanceEndpoint(ref.getName(), namespace, ref.getPort()).endpoint(), weight);
            }
        }
        return served;
    }

    private static Optional<RouteParentStatus> parent(HTTPRoute route, RouteSettings settings) {
        if (route.getStatus() == null || route.getStatus().getParents() == null) {
            return Optional.empty();
        }
        return route.getStatus().getParents().stream().filter(p -> p.getParentRef() != null
                && settings.gateway().equals(p.getParentRef().getName())
                && settings.gatewayNamespace().equals(Objects.requireNonNullElse(p.getParentRef().getNamespace(),
                settings.namespace()))).findFirst();
    }

    /** The condition of that type written for this generation of the route; an older one says nothing yet. */
    private static Optional<Condition> condition(RouteParentStatus parent, String type, Long generation) {
        if (parent.getConditions() == null) {
            return Optional.empty();
        }
        return parent.getConditions().stream().filter(c -> type.equals(c.getType())
                && Objects.equals(c.getObservedGeneration(), generation)).findFirst();
    }
}
