package dev.switchback.switcher.router;

import java.net.URI;
import java.util.Map;

/**
 * What the routers that proxy themselves (embedded, nginx) take as an endpoint: a plain {@code http://host:port} base
 * URL. Anything else is refused before it is served rather than made sense of: nginx's endpoints end up in its
 * configuration, unescaped, and the embedded router would otherwise fail on it at the first request, on its event loop.
 */
public final class Endpoints {

    private Endpoints() {
    }

    /** The endpoint's {@code host:port}, or an IllegalArgumentException saying what it should be. */
    public static String hostPort(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not a URL", e);
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || !bare
                || !uri.getHost().matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]")) {
            throw new IllegalArgumentException("endpoint '" + endpoint + "' is not an http://host:port base URL");
        }
        return uri.getHost() + ":" + (uri.getPort() == -1 ? 80 : uri.getPort());
    }

    /** Refuses the weights and the fallback (null for none) unless every endpoint is an http://host:port base URL. */
    public static void check(Map<String, Integer> weights, String fallback) {
        weights.keySet().forEach(Endpoints::hostPort);
        if (fallback != null) {
            hostPort(fallback);
        }
    }
}
