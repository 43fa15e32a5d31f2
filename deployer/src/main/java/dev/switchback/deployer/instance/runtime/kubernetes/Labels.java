package dev.switchback.deployer.instance.runtime.kubernetes;

import java.util.Map;

/**
 * The labels every object the {@code kubernetes} driver makes carries, and the selections built from them. A
 * Service that sends an instance traffic (its own one, the router's stable one) selects {@link #SERVING}
 * {@code "true"} beside the release: isolation flips that label on the pods, so they keep running and no Service
 * selects them any more.
 */
public final class Labels {

    /** SERVICE: the service's name. */
    public static final String SERVICE = "switchback.dev/service";
    /** ENVIRONMENT: the environment. */
    public static final String ENVIRONMENT = "switchback.dev/environment";
    /** RELEASE: the release's id; the Deployment's selector, so one release's pods are never another's. */
    public static final String RELEASE = "switchback.dev/release";
    /** COLOR: the color the instance was started as (green); on the Deployment only, changing it moves no pod. */
    public static final String COLOR = "switchback.dev/color";
    /** VERSION: the version it runs, for people reading {@code kubectl get -L}. */
    public static final String VERSION = "switchback.dev/version";
    /** SERVING: "true" while Services may select the pods; "false" once isolated. Not in the Deployment's selector. */
    public static final String SERVING = "switchback.dev/serving";
    /** MANAGED_BY: the standard label naming who manages the object. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** GREEN: the color of a release's new instance. */
    public static final String GREEN = "green";
    /**
     * ISOLATED_SELECTION: the {@link #SERVING} value an isolated green's own Service selects, which no pod ever
     * carries, so neither its kept pods nor any the ReplicaSet makes again get traffic through it.
     */
    public static final String ISOLATED_SELECTION = "isolated";
    /** ISOLATED: the annotation saying when and why the pods were taken out of selection. */
    public static final String ISOLATED = "switchback.dev/isolated";

    private Labels() {
    }

    /** What selects one release's pods: the Deployment's (immutable) selector. */
    public static Map<String, String> selector(String service, String environment, String releaseId) {
        return Map.of(SERVICE, service, ENVIRONMENT, environment, RELEASE, releaseId);
    }

    /** What a Service sending traffic to the release selects: its pods, while they serve. */
    public static Map<String, String> serving(String service, String environment, String releaseId) {
        return Map.of(SERVICE, service, ENVIRONMENT, environment, RELEASE, releaseId, SERVING, "true");
    }

    /** A label value as Kubernetes allows it: at most 63 of [A-Za-z0-9._-], alphanumeric at both ends. */
    public static String value(String raw) {
        String cleaned = raw.replaceAll("[^A-Za-z0-9._-]", "_");
        cleaned = cleaned.substring(0, Math.min(63, cleaned.length()));
        return cleaned.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }
}
