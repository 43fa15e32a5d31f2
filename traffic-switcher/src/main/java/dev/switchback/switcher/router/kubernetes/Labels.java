package dev.switchback.switcher.router.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.List;
import java.util.Map;

/**
 * The marks Switchback leaves on the objects of a route: a route label on every object it routes with (how a
 * restarted switcher finds them) and a managed-by label only on those it created (the only ones it ever deletes).
 * Changes go as JSON patches: fabric8's mock server gets merge and strategic patches wrong, a real API server and
 * the mock agree on JSON patch.
 */
final class Labels {

    static final String ROUTE = "switchback.dev/route";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String SWITCHBACK = "switchback";

    private Labels() {
    }

    static Map<String, String> created(String route) {
        return Map.of(ROUTE, route, MANAGED_BY, SWITCHBACK);
    }

    static boolean routes(HasMetadata object, String route) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && route.equals(labels.get(ROUTE));
    }

    static boolean createdBySwitchback(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && SWITCHBACK.equals(labels.get(MANAGED_BY));
    }

    /** Marks a user's object as routed by this route, leaving everything else of it as it is. */
    static <T extends HasMetadata> void mark(KubernetesClient client, Resource<T> resource, T object, String route) {
        if (routes(object, route)) {
            return;
        }
        Map<String, Object> op = object.getMetadata().getLabels() == null
                ? Map.of("op", "add", "path", "/metadata/labels", "value", Map.of(ROUTE, route))
                : Map.of("op", "add", "path", "/metadata/labels/" + pointer(ROUTE), "value", route);
        jsonPatch(client, resource, List.of(op));
    }

    /**
     * Lets go of the route's object: deletes it when Switchback created it, else only takes the route label off a
     * user's object, which keeps serving; an object that is gone or routes another route is left alone.
     */
    static <T extends HasMetadata> void release(KubernetesClient client, Resource<T> resource, String route) {
        T current = resource.get();
        if (current == null || !routes(current, route)) {
            return;
        }
        if (createdBySwitchback(current)) {
            resource.delete();
        } else {
            unmark(client, resource);
        }
    }

    /** The routes the labelled objects belong to. */
    static java.util.Set<String> routeNames(List<? extends HasMetadata> labelled) {
        java.util.Set<String> routes = new java.util.TreeSet<>();
        labelled.forEach(object -> routes.add(object.getMetadata().getLabels().get(ROUTE)));
        return routes;
    }

    /** Takes the route label off a user's object, which is otherwise left as it is (it keeps serving). */
    static <T extends HasMetadata> void unmark(KubernetesClient client, Resource<T> resource) {
        jsonPatch(client, resource, List.of(Map.of("op", "remove", "path", "/metadata/labels/" + pointer(ROUTE))));
    }

    static <T extends HasMetadata> void jsonPatch(KubernetesClient client, Resource<T> resource,
                                                 List<Map<String, Object>> ops) {
        resource.patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
    }

    /** A label key as a JSON pointer segment (RFC 6901). */
    static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
