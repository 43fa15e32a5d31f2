package dev.switchback.deployer.instance.runtime.kubernetes;

import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.events.KubernetesSettings;
import dev.switchback.events.ReleaseRef;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a release's green is on a cluster: a Deployment of its own named {@code <service>-<8 characters of the
 * release id>}, from the spec's image template, replicas, resources, env and probes, and a Service of the same name
 * in front of it. The Service gives the handle an address that is the instance's alone (routers' weighted
 * {@code backendRefs} need one per color) and is owned by the Deployment, so deleting the Deployment cleans it up.
 * Pure: builds objects, calls no API.
 */
public final class GreenManifests {

    /** CONTAINER: the name of the one container of a green's pods. */
    public static final String CONTAINER = "app";
    /** PORT_NAME: the container port's name, which the probes and the Service's target port refer to. */
    private static final String PORT_NAME = "http";
    /** DNS_1035: a Service's name: a letter first, then letters, digits and '-', at most 63, no '-' at the end. */
    private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    /** TAG: what an image tag may be once {version} is replaced. */
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    private GreenManifests() {
    }

    /** The name of a release's Deployment and Service; refused when Kubernetes would refuse it. */
    public static String name(ReleaseRef release) {
        String name = release.service() + "-" + release.id().substring(0, Math.min(8, release.id().length()))
                .toLowerCase();
        if (!DNS_1035.matcher(name).matches()) {
            throw new IllegalArgumentException("cannot name the Deployment of " + release.service() + " '" + name
                    + "': a Service's name must be a DNS-1035 label (a letter first, at most 63 characters)");
        }
        return name;
    }

    /** The image of a release: the template with its version; refused when the version cannot be a tag. */
    public static String image(KubernetesSettings settings, String version) {
        String template = settings.image();
        int tagStart = template.lastIndexOf(':');
        if (template.indexOf('@') >= 0 || tagStart < template.lastIndexOf('/') || !template.contains("{version}")) {
            throw new IllegalArgumentException("image " + template + " must hold {version} in its tag, without a digest");
        }
        String image = template.replace("{version}", version);
        String tag = image.substring(image.lastIndexOf(':') + 1);
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("version " + version + " makes the image tag '" + tag + "', which is not a"
                    + " valid tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
        }
        return image;
    }

    /** The Deployment of a launch's release. */
    public static Deployment deployment(Launch launch) {
        KubernetesSettings settings = launch.runtime().kubernetes();
        ReleaseRef release = launch.release();
        Map<String, String> selector = Labels.selector(release.service(), release.environment(), release.id());
        Map<String, String> podLabels = new TreeMap<>(selector);
        podLabels.put(Labels.SERVING, "true");
        podLabels.put(Labels.VERSION, Labels.value(launch.version()));
        int port = settings.portOrDefault();
        return new DeploymentBuilder()
                .withNewMetadata().withName(name(release)).withNamespace(settings.namespace())
                .withLabels(objectLabels(launch)).addToAnnotations("switchback.dev/instance", launch.instanceId())
                .endMetadata()
                .withNewSpec().withReplicas(settings.replicasOrDefault())
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().addNewContainer().withName(CONTAINER).withImage(image(settings, launch.version()))
                .addNewPort().withName(PORT_NAME).withContainerPort(port).withProtocol("TCP").endPort()
                .withEnv(env(launch, port))
                .withResources(resources(settings.resources()))
                .withReadinessProbe(probe(settings.readinessProbe(), launch.healthPath()))
                .withLivenessProbe(settings.livenessProbe() == null ? null : probe(settings.livenessProbe(), launch.healthPath()))
                .endContainer().endSpec().endTemplate().endSpec()
                .build();
    }

    /** The Service in front of a release's pods while they serve, owned by its Deployment. */
    public static Service service(Launch launch, Deployment owner) {
        KubernetesSettings settings = launch.runtime().kubernetes();
        ReleaseRef release = launch.release();
        ServiceBuilder service = new ServiceBuilder()
                .withNewMetadata().withName(name(release)).withNamespace(settings.namespace())
                .withLabels(objectLabels(launch)).endMetadata()
                .withNewSpec().withType("ClusterIP")
                .withSelector(Labels.serving(release.service(), release.environment(), release.id()))
                .addNewPort().withName(PORT_NAME).withPort(settings.portOrDefault())
                .withTargetPort(new IntOrString(PORT_NAME)).withProtocol("TCP").endPort()
                .endSpec();
        if (owner != null && owner.getMetadata().getUid() != null) {
            service.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
                    .withKind("Deployment").withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                    .withController(true).withBlockOwnerDeletion(true).build()).endMetadata();
        }
        return service.build();
    }

    private static Map<String, String> objectLabels(Launch launch) {
        ReleaseRef release = launch.release();
        Map<String, String> labels = new TreeMap<>(Labels.selector(release.service(), release.environment(), release.id()));
        labels.put(Labels.COLOR, Labels.GREEN);
        labels.put(Labels.VERSION, Labels.value(launch.version()));
        labels.put(Labels.MANAGED_BY, "switchback");
        return labels;
    }

    private static List<EnvVar> env(Launch launch, int port) {
        Map<String, String> env = new LinkedHashMap<>(new TreeMap<>(launch.runtime().envOrEmpty()));
        env.put("PORT", Integer.toString(port));
        env.put("SERVICE_VERSION", launch.version());
        List<EnvVar> vars = new ArrayList<>();
        env.forEach((key, value) -> vars.add(new EnvVar(key, value, null)));
        return vars;
    }

    private static ResourceRequirements resources(KubernetesSettings.Resources resources) {
        if (resources == null) {
            return null;
        }
        return new ResourceRequirementsBuilder().withRequests(quantities(resources.requests()))
                .withLimits(quantities(resources.limits())).build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        Map<String, Quantity> quantities = new TreeMap<>();
        values.forEach((name, value) -> quantities.put(name, new Quantity(value)));
        return quantities;
    }

    private static Probe probe(KubernetesSettings.Probe probe, String healthPath) {
        KubernetesSettings.Probe p = probe == null ? new KubernetesSettings.Probe(null, null, null, null) : probe;
        return new ProbeBuilder()
                .withHttpGet(new HTTPGetActionBuilder().withPath(p.path() == null ? healthPath : p.path())
                        .withPort(new IntOrString(PORT_NAME)).build())
                .withInitialDelaySeconds(p.initialDelaySeconds() == null ? 0 : p.initialDelaySeconds())
                .withPeriodSeconds(p.periodSeconds() == null ? 10 : p.periodSeconds())
                .withFailureThreshold(p.failureThreshold() == null ? 3 : p.failureThreshold())
                .build();
    }
}
