package dev.switchback.deployer.instance.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A call to the API server that did not do what was asked, in words an operator acts on: which call, on what, and
 * what the server said (RBAC denied it, the namespace does not exist, the object was invalid, the server could not
 * be reached). What a release's failure says instead of fabric8's exception text and stack trace.
 */
public class ApiRefusal extends RuntimeException {

    /** code: the HTTP status the API server answered; 0 when it was not reached. */
    private final int code;

    private ApiRefusal(String message, int code, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    /**
     * Describes a failed call.
     *
     * @param action what was asked, e.g. "create Deployment app-1a2b3c4d"
     * @param namespace where
     */
    public static ApiRefusal of(String action, String namespace, KubernetesClientException e) {
        int code = e.getCode();
        String said = serverMessage(e);
        String message = switch (code) {
            case 401 -> "the API server did not accept the deployer's credentials to " + action + " in namespace "
                    + namespace + " (401): " + said;
            case 403 -> "forbidden by the cluster's RBAC: the deployer's service account may not " + action
                    + " in namespace " + namespace + " (403): " + said;
            case 404 -> "the API server found no such object or namespace to " + action + " in namespace " + namespace
                    + " (404): " + said;
            case 409 -> "conflict while trying to " + action + " in namespace " + namespace + " (409): " + said;
            case 422 -> "the API server refused to " + action + " in namespace " + namespace + " as invalid (422): "
                    + said;
            case 0 -> "cannot reach the API server to " + action + " in namespace " + namespace + ": " + said;
            default -> "the API server answered " + code + " to " + action + " in namespace " + namespace + ": " + said;
        };
        return new ApiRefusal(message, code, e);
    }

    /** The HTTP status the API server answered; 0 when it was not reached. */
    public int code() {
        return code;
    }

    /** Whether asking again cannot help: the server refused (401, 403, 404, 422) rather than failed to answer. */
    public boolean isFinal() {
        return code == 401 || code == 403 || code == 404 || code == 422;
    }

    private static String serverMessage(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
            return status.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // fabric8's own text repeats the whole URL and request; the first line says what matters.
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
