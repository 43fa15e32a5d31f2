package dev.switchback.switcher.router.kubernetes;

import dev.switchback.events.RouterSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's settings for the {@code kubernetes} router, validated, unknown keys refused.
 *
 * @param namespace        where the stable Service (or HTTPRoute) and the instances' Services live
 * @param service          the stable Service users call, and the HTTPRoute's name in gateway mode
 * @param mode             {@code service}: blue-green by the stable Service's selector; {@code gateway}: weighted
 *                         backendRefs of a Gateway API HTTPRoute
 * @param gateway          the Gateway the HTTPRoute attaches to (gateway mode)
 * @param gatewayNamespace the Gateway's namespace, the route's own when empty
 * @param hostnames        the HTTPRoute's hostnames, none when empty
 */
record RouteSettings(String namespace, String service, Mode mode, String gateway, String gatewayNamespace,
                     List<String> hostnames) {

    enum Mode { SERVICE, GATEWAY }

    static final Set<String> KEYS = Set.of("namespace", "service", "mode", "gateway", "gatewayNamespace", "hostnames");
    // A DNS-1123 label: what Kubernetes accepts as a Service's name and a namespace.
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern HOSTNAME = Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** The settings of a route named {@code <service>.<environment>}; the stable Service defaults to the service. */
    static RouteSettings of(String route, RouterSpec spec) {
        Map<String, String> settings = spec.settingsOrEmpty();
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown kubernetes router setting " + key + " of " + route
                        + "; known: " + KEYS);
            }
        }
        String namespace = name(route, "namespace", settings.get("namespace"), true);
        String service = name(route, "service", settings.getOrDefault("service", route.split("\\.", 2)[0]), true);
        String modeName = settings.getOrDefault("mode", "service");
        Mode mode = switch (modeName) {
            case "service" -> Mode.SERVICE;
            case "gateway" -> Mode.GATEWAY;
            default -> throw new IllegalArgumentException("kubernetes router mode of " + route
                    + " is service or gateway, not " + modeName);
        };
        String gateway = name(route, "gateway", settings.get("gateway"), mode == Mode.GATEWAY);
        String gatewayNamespace = name(route, "gatewayNamespace", settings.get("gatewayNamespace"), false);
        if (mode == Mode.SERVICE && (gateway != null || gatewayNamespace != null || settings.containsKey("hostnames"))) {
            throw new IllegalArgumentException("gateway, gatewayNamespace and hostnames of " + route
                    + " need mode gateway");
        }
        List<String> hostnames = settings.containsKey("hostnames")
                ? List.of(settings.get("hostnames").split(",")).stream().map(String::trim).toList() : List.of();
        for (String hostname : hostnames) {
            if (!HOSTNAME.matcher(hostname).matches()) {
                throw new IllegalArgumentException("hostname " + hostname + " of " + route + " is not a DNS name");
            }
        }
        return new RouteSettings(namespace, service, mode, gateway,
                gatewayNamespace == null ? namespace : gatewayNamespace, hostnames);
    }

    private static String name(String route, String key, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("kubernetes router setting " + key + " of " + route + " is required");
            }
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("kubernetes router setting " + key + " of " + route
                    + " must be a DNS label (lower case letters, digits, '-'), not " + value);
        }
        return value;
    }
}
