package dev.switchback.releaseapi.servicespec;

import java.util.Optional;

/**
 * What a {@code kubernetes} runtime spec must look like, from the Kubernetes documentation's rules: image references
 * as the container runtimes parse them, resource names and quantities, and object names (a Deployment and a Service
 * per release, named {@code <service>-<8 characters of the release id>}). Anything else is refused, not guessed at.
 */
public final class KubernetesRules {

    /** DOMAIN: an optional registry host (DNS components, an optional port) followed by a slash. */
    private static final String DOMAIN = "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
            + "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?/)?";
    /** PATH: repository path components, lower case, separated by '.', '_', '__' or dashes. */
    private static final String PATH = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*";
    /** TAG: a tag holding {version}, of word characters, '.' and '-', not starting with '.' or '-'. */
    private static final String TAG = ":(?![.-])[\\w.-]*\\{version\\}[\\w.-]*";

    /** IMAGE_TEMPLATE: {@code [registry[:port]/]path:tag} with {@code {version}} in the tag and no digest. */
    public static final String IMAGE_TEMPLATE = DOMAIN + PATH + TAG;

    /** RESOURCE: the resource names a container may request or be limited to here. */
    public static final String RESOURCE = "cpu|memory|ephemeral-storage";
    public static final String RESOURCE_MESSAGE = "must be cpu, memory or ephemeral-storage";

    /** QUANTITY: a Kubernetes quantity in decimal or binary SI form, e.g. 250m, 0.5, 128Mi, 1G; no exponents. */
    public static final String QUANTITY = "(?:[0-9]{1,9}(?:\\.[0-9]{1,9})?|\\.[0-9]{1,9})(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?";
    public static final String QUANTITY_MESSAGE = "must be a quantity such as 250m, 0.5, 128Mi or 1G";

    /** RELEASE_SUFFIX: "-" and 8 characters of the release id, appended to the service's name. */
    private static final int RELEASE_SUFFIX = 9;
    /** MAX_NAME: a Service's name is a DNS-1035 label: at most 63 characters. */
    private static final int MAX_NAME = 63;

    private KubernetesRules() {
    }

    /**
     * Why a service of this name cannot run on Kubernetes, if it cannot: its Deployment and Service are named
     * {@code <service>-<8 characters>}, and a Service's name must be a DNS-1035 label (a letter first, 63 at most).
     */
    public static Optional<String> serviceNameProblem(String service) {
        if (service.length() + RELEASE_SUFFIX > MAX_NAME) {
            return Optional.of("must be at most " + (MAX_NAME - RELEASE_SUFFIX) + " characters for the kubernetes driver, "
                    + "which names each release's Deployment and Service <service>-<8 characters of the release id>");
        }
        if (!Character.isLetter(service.charAt(0))) {
            return Optional.of("must start with a letter for the kubernetes driver: a Service's name is a DNS-1035 label");
        }
        return Optional.empty();
    }
}
