package dev.switchback.switcher.router.nginx;

import dev.switchback.switcher.router.Endpoints;
import dev.switchback.web.Names;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One route as nginx serves it: its port, its weights and the generation of the file, rendered as the route's
 * {@code server} and {@code upstream} and as the control location that reports them back.
 *
 * @param route      the route's name, {@code <service>.<environment>}
 * @param port       the port the route listens on
 * @param generation the number of this version of the route's file; nginx answers it once it serves the file
 * @param weights    endpoint to weight, in order; empty while the route has no upstream
 * @param fallback   where a failed idempotent request goes once more (blue during the bake); null for none
 */
record RouteConf(String route, int port, long generation, Map<String, Integer> weights, String fallback) {

    private static final Pattern ROUTE = Pattern.compile(Names.NAME + "\\." + Names.NAME);
    private static final String HEADER = "# switchback route ";

    RouteConf {
        if (!ROUTE.matcher(route).matches()) {
            throw new IllegalArgumentException("route '" + route + "' is not <service>.<environment>");
        }
        Endpoints.check(weights, fallback);
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** A route with no fallback. */
    RouteConf(String route, int port, long generation, Map<String, Integer> weights) {
        this(route, port, generation, weights, null);
    }

    /** The fallback, unless it takes a share already: then it is an endpoint like the others. */
    private boolean backup() {
        return fallback != null && !weights.containsKey(fallback);
    }

    /** Every endpoint nginx may send a request of the route to: the weighted ones, then the fallback. */
    Set<String> endpoints() {
        Set<String> endpoints = new LinkedHashSet<>(weights.keySet());
        if (fallback != null) {
            endpoints.add(fallback);
        }
        return endpoints;
    }

    /** The route's name in file names, upstream names and control paths: names have no dots, so this is unique. */
    String fileName() {
        return route;
    }

    /** The control location's path. */
    String controlPath() {
        return "/routes/" + fileName();
    }

    /**
     * What the control location answers: the generation, then the weights ({@code -} for none), then the fallback
     * when there is one.
     */
    String served() {
        if (weights.isEmpty()) {
            return generation + " -";
        }
        StringBuilder text = new StringBuilder().append(generation).append(' ');
        weights.forEach((endpoint, weight) -> text.append(endpoint).append('=').append(weight).append(','));
        text.setLength(text.length() - 1);
        if (fallback != null) {
            text.append(' ').append(fallback);
        }
        return text.toString();
    }

    /** Reads what a control location answered; empty when it is not an answer of ours. */
    static Optional<Served> parseServed(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 2 && parts.length != 3) {
            return Optional.empty();
        }
        try {
            long generation = Long.parseLong(parts[0]);
            Map<String, Integer> weights = new LinkedHashMap<>();
            if (!parts[1].equals("-")) {
                for (String pair : parts[1].split(",")) {
                    int equals = pair.lastIndexOf('=');
                    weights.put(pair.substring(0, equals), Integer.parseInt(pair.substring(equals + 1)));
                }
            }
            return Optional.of(new Served(generation, Collections.unmodifiableMap(weights),
                    parts.length == 3 ? parts[2] : null));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A generation and the weights and fallback nginx reported with it. */
    record Served(long generation, Map<String, Integer> weights, String fallback) {
    }

    /**
     * The route's {@code server} (and {@code upstream} when it has endpoints). The first line records the route so a
     * restarted switcher can adopt the file; the access log feeds the per-endpoint counters.
     */
    String render(String bindHost, String accessLog) {
        StringBuilder conf = new StringBuilder();
        conf.append(HEADER).append(route).append(' ').append(port).append(' ').append(served()).append('\n');
        conf.append("# Written by the switcher, replaced whole at every switch; edits are lost.\n");
        String upstream = "route." + fileName();
        if (!weights.isEmpty()) {
            conf.append("upstream ").append(upstream).append(" {\n");
            // max_fails=0: weights stay what was asked; a failing green must show in its counters, not be hidden
            // by nginx taking it out of rotation for a while.
            weights.forEach((endpoint, weight) -> conf.append("    server ").append(Endpoints.hostPort(endpoint))
                    .append(" weight=").append(weight).append(" max_fails=0;\n"));
            if (backup()) {
                // Tried only once green's attempt failed (proxy_next_upstream below): never in rotation.
                conf.append("    server ").append(Endpoints.hostPort(fallback)).append(" backup max_fails=0;\n");
            }
            conf.append("    keepalive 32;\n");
            // Shorter than endpoints' own idle timeouts (5 s is common): a POST on a connection the endpoint has just
            // closed fails with 502, as nginx rightly does not send a POST twice.
            conf.append("    keepalive_timeout 4s;\n");
            conf.append("}\n");
        }
        conf.append("server {\n");
        conf.append("    listen ").append(bindHost.contains(":") ? "[" + bindHost + "]" : bindHost).append(':')
                .append(port).append(";\n");
        if (weights.isEmpty()) {
            conf.append("    location / {\n");
            conf.append("        default_type text/plain;\n");
            conf.append("        return 503 \"no live version of ").append(route).append(" yet\\n\";\n");
            conf.append("    }\n");
        } else {
            conf.append("    access_log ").append(accessLog).append(" switchback;\n");
            conf.append("    location / {\n");
            conf.append("        proxy_pass http://").append(upstream).append(";\n");
            if (fallback != null) {
                // As the main configuration's, with a 500 too: green's failure, answered by blue.
                conf.append("        proxy_next_upstream error timeout http_500 http_502 http_503 http_504;\n");
            }
            conf.append("    }\n");
        }
        conf.append("}\n");
        return conf.toString();
    }

    /** The control server's location reporting this route: what nginx itself serves, read back after a reload. */
    String renderControl() {
        return "location = " + controlPath() + " {\n"
                + "    default_type text/plain;\n"
                + "    return 200 \"" + served() + "\\n\";\n"
                + "}\n";
    }

    /**
     * Reads back a route file written by {@link #render}; empty when the file is not one. Files written before routes
     * were named {@code <service>.<environment>} name them {@code service/environment}: read as the same route.
     */
    static Optional<RouteConf> parse(String text) {
        if (!text.startsWith(HEADER)) {
            return Optional.empty();
        }
        String[] parts = text.substring(HEADER.length(), text.indexOf('\n')).split(" ", 3);
        try {
            return parseServed(parts[2]).map(served ->
                    new RouteConf(parts[0].replace('/', '.'), Integer.parseInt(parts[1]), served.generation(), served.weights(),
                            served.fallback()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
