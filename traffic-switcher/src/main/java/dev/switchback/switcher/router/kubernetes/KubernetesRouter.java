package dev.switchback.switcher.router.kubernetes;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.Weights;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@code kubernetes} router: routes on a cluster's own objects, through the API server the client's kubeconfig
 * names (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}). Mode {@code service} moves the
 * stable Service's selector (blue-green), mode {@code gateway} weights a Gateway API HTTPRoute (canary). Nothing is
 * kept here but each ensured route's settings: weights and verification are read back from the objects, and a
 * restarted switcher gets its routes back when route recovery ensures them again. The API server's refusals (403
 * of RBAC, 404) become answers and messages naming the object, not stack traces.
 */
@ApplicationScoped
public class KubernetesRouter implements Router {

    private static final Logger LOG = Logger.getLogger(KubernetesRouter.class);

    private final KubernetesRoute services;
    private final KubernetesRoute gateways;
    private final Map<String, RouteSettings> routes = new ConcurrentHashMap<>();

    public KubernetesRouter(KubernetesClient client) {
        this.services = new ServiceSelectorRoute(client);
        this.gateways = new GatewayHttpRoute(client);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public void ensureRoute(String route, RouterSpec spec) {
        RouteSettings settings = RouteSettings.of(route, spec);
        call(route, "ensure", () -> {
            mode(settings).ensure(route, settings, spec.port());
            return null;
        });
        routes.put(route, settings);
        LOG.infof("router of %s on %s %s/%s", route, settings.mode(), settings.namespace(), settings.service());
    }

    @Override
    public void setWeights(String route, Map<String, Integer> weights) {
        RouteSettings settings = settings(route);
        Map<InstanceEndpoint, Integer> endpoints = new LinkedHashMap<>();
        Weights.checked(route, weights).forEach((endpoint, weight) -> {
            InstanceEndpoint instance = InstanceEndpoint.parse(endpoint);
            if (settings.mode() == RouteSettings.Mode.SERVICE && !instance.namespace().equals(settings.namespace())) {
                throw new IllegalArgumentException("a Service selects pods of its own namespace " + settings.namespace()
                        + " only, not " + endpoint);
            }
            endpoints.put(instance, weight);
        });
        if (settings.mode() == RouteSettings.Mode.SERVICE && endpoints.size() != 1) {
            throw new IllegalArgumentException("canary needs mode gateway: " + route + " switches one endpoint at 100,"
                    + " not " + weights);
        }
        call(route, "set weights of", () -> {
            mode(settings).setWeights(route, settings, endpoints);
            return null;
        });
        LOG.infof("router of %s asked for %s", route, weights);
    }

    @Override
    public Verification verifyWeights(String route, Map<String, Integer> expected) {
        RouteSettings settings = routes.get(route);
        if (settings == null) {
            return Verification.no("router of " + route + " does not exist");
        }
        try {
            for (String endpoint : expected.keySet()) {
                InstanceEndpoint.parse(endpoint);
            }
            return mode(settings).verify(route, settings, expected);
        } catch (KubernetesClientException e) {
            return Verification.no(refusal(route, "verify", e));
        } catch (IllegalArgumentException e) {
            return Verification.no(e.getMessage());
        }
    }

    @Override
    public Map<String, Integer> weights(String route) {
        RouteSettings settings = routes.get(route);
        return settings == null ? Map.of() : call(route, "read weights of", () -> mode(settings).weights(route, settings));
    }

    /** Deletes only objects Switchback created; a user's Service or HTTPRoute loses the route label and keeps serving. */
    @Override
    public void removeRoute(String route) {
        RouteSettings settings = routes.get(route);
        if (settings == null) {
            return;
        }
        call(route, "remove", () -> {
            mode(settings).remove(route, settings);
            return null;
        });
        routes.remove(route);
    }

    /** The routes whose objects carry the route label, in the namespaces of the routes ensured here. */
    @Override
    public Set<String> routes() {
        Set<String> found = new TreeSet<>();
        Set<String> namespaces = new TreeSet<>();
        routes.values().forEach(settings -> namespaces.add(settings.namespace()));
        for (String namespace : namespaces) {
            call(namespace, "list routes in", () -> {
                found.addAll(services.routes(namespace));
                found.addAll(gateways.routes(namespace));
                return null;
            });
        }
        return found;
    }

    private RouteSettings settings(String route) {
        RouteSettings settings = routes.get(route);
        if (settings == null) {
            throw new IllegalStateException("router of " + route + " does not exist: ensure it first");
        }
        return settings;
    }

    private KubernetesRoute mode(RouteSettings settings) {
        return settings.mode() == RouteSettings.Mode.SERVICE ? services : gateways;
    }

    private static <T> T call(String route, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException(refusal(route, what, e));
        }
    }

    /** The API server's answer in one line: its code and its message, e.g. RBAC's "cannot patch resource". */
    static String refusal(String route, String what, KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        String firstLine = message == null ? "" : message.lines().findFirst().orElse("");
        return "kubernetes API server refused to " + what + " " + route + (e.getCode() > 0 ? " (" + e.getCode() + ")" : "")
                + ": " + firstLine;
    }
}
