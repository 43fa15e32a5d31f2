package dev.switchback.events;

import java.util.Map;

/**
 * How the {@code kubernetes} runtime driver runs a service in one environment: green is a Deployment of its own per
 * release, in this namespace, from this image.
 *
 * @param namespace      namespace of this environment's Deployments (a DNS-1123 label)
 * @param image          image reference template; {@code {version}} is replaced by the release's version, e.g.
 *                       {@code registry.example.com/team/app:{version}}
 * @param replicas       pods per instance; 1 when null
 * @param port           container port the service listens on (passed as {@code PORT}); 8080 when null
 * @param resources      the container's resource requests and limits; none when null
 * @param readinessProbe what makes a pod ready (and so counted available); an HTTP GET of the health path when null
 * @param livenessProbe  what restarts a hung container; none when null
 */
public record KubernetesSettings(String namespace, String image, Integer replicas, Integer port, Resources resources,
                                 Probe readinessProbe, Probe livenessProbe) {

    /** DEFAULT_PORT: the container port when none is given. */
    public static final int DEFAULT_PORT = 8080;

    /** Replicas, 1 when none were given. */
    public int replicasOrDefault() {
        return replicas == null ? 1 : replicas;
    }

    /** Port, {@link #DEFAULT_PORT} when none was given. */
    public int portOrDefault() {
        return port == null ? DEFAULT_PORT : port;
    }

    /**
     * The container's resources, as Kubernetes quantities.
     *
     * @param requests {@code cpu} and {@code memory} requested, e.g. {@code {"cpu": "100m", "memory": "128Mi"}}
     * @param limits   {@code cpu} and {@code memory} at most
     */
    public record Resources(Map<String, String> requests, Map<String, String> limits) {
    }

    /**
     * An HTTP GET probe on the container port.
     *
     * @param path                HTTP path answering 2xx when healthy; the spec's health path when null
     * @param initialDelaySeconds seconds before the first probe; 0 when null
     * @param periodSeconds       seconds between probes; 10 when null (Kubernetes' default)
     * @param failureThreshold    failed probes in a row that count; 3 when null (Kubernetes' default)
     */
    public record Probe(String path, Integer initialDelaySeconds, Integer periodSeconds, Integer failureThreshold) {
    }
}
