package dev.switchback.switcher.router.kubernetes;

import java.net.URI;

/**
 * An instance's endpoint as the deployer's {@code kubernetes} runtime gives it,
 * {@code http://<deployment>.<namespace>.svc:<port>}: the host's first label is the instance's own Service (named
 * after its Deployment, selecting its pods), the second its namespace. Any other shape is refused, since the router
 * could only guess which Service it means.
 */
record InstanceEndpoint(String service, String namespace, int port) {

    static InstanceEndpoint parse(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw refused(endpoint);
        }
        String host = uri.getHost();
        String[] labels = host == null ? new String[0] : host.split("\\.");
        if (!"http".equals(uri.getScheme()) || labels.length != 3 || !labels[2].equals("svc") || uri.getPort() <= 0
                || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
            throw refused(endpoint);
        }
        return new InstanceEndpoint(labels[0], labels[1], uri.getPort());
    }

    private static IllegalArgumentException refused(String endpoint) {
        return new IllegalArgumentException("the kubernetes router takes endpoints http://<service>.<namespace>.svc:<port>"
                + " of the kubernetes runtime, not " + endpoint);
    }

    String endpoint() {
        return "http://" + service + "." + namespace + ".svc:" + port;
    }
}
