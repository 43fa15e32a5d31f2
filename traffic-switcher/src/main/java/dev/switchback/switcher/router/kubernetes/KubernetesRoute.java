package dev.switchback.switcher.router.kubernetes;

import dev.switchback.switcher.router.Verification;

import java.util.Map;
import java.util.Set;

/** One way of routing on a cluster, a mode of the {@code kubernetes} router: the objects it writes and reads back. */
interface KubernetesRoute {

    void ensure(String route, RouteSettings settings, int port);

    void setWeights(String route, RouteSettings settings, Map<InstanceEndpoint, Integer> weights);

    Verification verify(String route, RouteSettings settings, Map<String, Integer> expected);

    Map<String, Integer> weights(String route, RouteSettings settings);

    void remove(String route, RouteSettings settings);

    /** The routes whose objects in the namespace carry the route label. */
    Set<String> routes(String namespace);
}
