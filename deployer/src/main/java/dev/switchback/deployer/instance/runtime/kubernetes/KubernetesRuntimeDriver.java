package dev.switchback.deployer.instance.runtime.kubernetes;

import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.events.KubernetesSettings;
import dev.switchback.events.ReleaseRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs each release's green as a Deployment of its own with a Service in front ({@link GreenManifests}), on the
 * cluster the fabric8 client is configured for. Readiness is what the Deployment's status and pods say
 * ({@link RolloutReadiness}); isolation relabels the pods so no Service selects them; retirement scales to zero,
 * then deletes. Every change is a create, a delete or a JSON patch: the calls whose meaning does not depend on the
 * server's merge strategy. Every refusal of the API server becomes an {@link ApiRefusal} saying what was refused.
 * A cluster is reached from any deployer replica.
 */
@ApplicationScoped
public class KubernetesRuntimeDriver implements RuntimeDriver {

    /** NAMESPACE, DEPLOYMENT, RELEASE: the keys of this driver's data in a handle. */
    public static final String NAMESPACE = "namespace";
    public static final String DEPLOYMENT = "deployment";
    public static final String RELEASE = "release";
    /** SERVICE_NAME, ENVIRONMENT: what the release's objects are labelled with, to find them again by label. */
    public static final String SERVICE_NAME = "service";
    public static final String ENVIRONMENT = "environment";

    private static final Logger LOG = Logger.getLogger(KubernetesRuntimeDriver.class);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final KubernetesDriverConfig config;

    public KubernetesRuntimeDriver(KubernetesClient client, KubernetesDriverConfig config) {
        this.client = client;
        this.config = config;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /** Creates the release's Deployment and Service, or adopts those a start whose record was lost made. */
    @Override
    public Handle start(Launch launch) {
        KubernetesSettings settings = launch.runtime().kubernetes();
        if (settings == null || launch.release() == null) {
            throw new IllegalArgumentException("the kubernetes driver needs runtime.kubernetes settings and a release");
        }
        String namespace = settings.namespace();
        String name = GreenManifests.name(launch.release());
        Deployment built = GreenManifests.deployment(launch);
        Deployment deployment = findByLabel(namespace, launch.release());
        if (deployment != null) {
            LOG.infof("adopted Deployment %s/%s of release %s", namespace, deployment.getMetadata().getName(),
                    launch.release().id());
        } else {
            deployment = call("create Deployment " + name, namespace,
                    () -> client.apps().deployments().inNamespace(namespace).resource(built).create());
            LOG.infof("created Deployment %s/%s (%s, %d replicas)", namespace, name,
                    built.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), settings.replicasOrDefault());
        }
        Deployment owner = deployment;
        Service service = call("read Service " + name, namespace,
                () -> client.services().inNamespace(namespace).withName(name).get());
        if (service == null) {
            call("create Service " + name, namespace, () -> client.services().inNamespace(namespace)
                    .resource(GreenManifests.service(launch, owner)).create());
        }
        return handle(launch.instanceId(), launch.release(), namespace, deployment.getMetadata().getName(),
                settings.portOrDefault());
    }

    @Override
    public Answer readiness(Handle handle) {
        String namespace = handle.get(NAMESPACE);
        try {
            Deployment deployment = deployment(handle);
            Answer quick = RolloutReadiness.judge(deployment, List.of(), List::of);
            if (quick.isYes() || deployment == null) {
                return quick;
            }
            List<Pod> pods = client.pods().inNamespace(namespace).withLabels(selector(handle)).list().getItems();
            Supplier<List<Event>> events = () -> client.v1().events().inNamespace(namespace).list().getItems();
            return RolloutReadiness.judge(deployment, pods, events);
        } catch (KubernetesClientException e) {
            ApiRefusal refusal = ApiRefusal.of("read Deployment " + handle.get(DEPLOYMENT) + " and its pods", namespace, e);
            return refusal.isFinal() ? Answer.no(refusal.getMessage()) : Answer.notYet(refusal.getMessage());
        }
    }

    @Override
    public Answer liveness(Handle handle) {
        try {
            Deployment deployment = deployment(handle);
            if (deployment == null) {
                return Answer.no("Deployment " + handle.get(NAMESPACE) + "/" + handle.get(DEPLOYMENT) + " is gone");
            }
            Integer replicas = deployment.getSpec().getReplicas();
            return replicas != null && replicas == 0 ? Answer.no(handle.get(DEPLOYMENT) + " is scaled to zero") : Answer.yes();
        } catch (KubernetesClientException e) {
            // Not known: an API server that does not answer says nothing about the pods.
            return Answer.notYet(ApiRefusal.of("read Deployment " + handle.get(DEPLOYMENT), handle.get(NAMESPACE), e)
                    .getMessage());
        }
    }

    /**
     * Marks the Deployment isolated and flips its pods' serving label: they run on, no Service selects them. Its own
     * Service is turned to select {@link Labels#ISOLATED_SELECTION}, which no pod carries: a pod the ReplicaSet makes
     * again later (a node lost, a pod evicted) comes from the unchanged template with serving "true", and must not
     * get traffic either. The template itself is left alone: changing it would roll out new pods and end the kept ones.
     */
    @Override
    public void isolate(Handle handle) {
        String namespace = handle.get(NAMESPACE);
        String name = handle.get(DEPLOYMENT);
        Service own = call("read Service " + name, namespace,
                () -> client.services().inNamespace(namespace).withName(name).get());
        if (own != null && own.getSpec().getSelector() != null
                && !Labels.ISOLATED_SELECTION.equals(own.getSpec().getSelector().get(Labels.SERVING))) {
            String selectorPatch = "[{\"op\":\"add\",\"path\":\"/spec/selector/" + escape(Labels.SERVING)
                    + "\",\"value\":\"" + Labels.ISOLATED_SELECTION + "\"}]";
            call("take Service " + name + " off its pods", namespace,
                    () -> client.services().inNamespace(namespace).withName(name).patch(JSON_PATCH, selectorPatch));
        }
        String patch = "[{\"op\":\"add\",\"path\":\"/metadata/labels/" + escape(Labels.SERVING) + "\",\"value\":\"false\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations/" + escape(Labels.ISOLATED) + "\",\"value\":\""
                + Instant.now() + "\"}]";
        call("label Deployment " + name + " isolated", namespace,
                () -> client.apps().deployments().inNamespace(namespace).withName(name).patch(JSON_PATCH, patch));
        List<Pod> pods = call("list the pods of " + name, namespace,
                () -> client.pods().inNamespace(namespace).withLabels(selector(handle)).list().getItems());
        String podPatch = "[{\"op\":\"add\",\"path\":\"/metadata/labels/" + escape(Labels.SERVING) + "\",\"value\":\"false\"}]";
        for (Pod pod : pods) {
            String podName = pod.getMetadata().getName();
            call("relabel pod " + podName, namespace,
                    () -> client.pods().inNamespace(namespace).withName(podName).patch(JSON_PATCH, podPatch));
        }
        LOG.infof("isolated Deployment %s/%s: %d pods kept, selected by no Service", namespace, name, pods.size());
    }

    /** Scales to zero, waits a little for the pods to go, then deletes the Service and the Deployment. */
    @Override
    public void stop(Handle handle) {
        String namespace = handle.get(NAMESPACE);
        String name = handle.get(DEPLOYMENT);
        Deployment deployment = call("read Deployment " + name, namespace, () -> deployment(handle));
        if (deployment != null) {
            call("scale Deployment " + name + " to zero", namespace, () -> client.apps().deployments()
                    .inNamespace(namespace).withName(name)
                    .patch(JSON_PATCH, "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":0}]"));
            awaitNoPods(handle);
        }
        call("delete Service " + name, namespace, () -> client.services().inNamespace(namespace).withName(name).delete());
        call("delete Deployment " + name, namespace,
                () -> client.apps().deployments().inNamespace(namespace).withName(name).delete());
        LOG.infof("retired Deployment %s/%s: scaled to zero, deleted", namespace, name);
    }

    /** Adopts the release's Deployment found by label, or creates it again under the same name (the same endpoint). */
    @Override
    public Handle recover(Handle handle, Launch launch) {
        return start(launch);
    }

    @Override
    public boolean reaches(Handle handle) {
        return true;
    }

    @Override
    public String logTail(Handle handle) {
        try {
            List<Pod> pods = client.pods().inNamespace(handle.get(NAMESPACE)).withLabels(selector(handle)).list().getItems();
            if (pods.isEmpty()) {
                return null;
            }
            return client.pods().inNamespace(handle.get(NAMESPACE)).withName(pods.get(0).getMetadata().getName())
                    .inContainer(GreenManifests.CONTAINER).tailingLines(40).getLog();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    private void awaitNoPods(Handle handle) {
        long until = System.nanoTime() + config.scaleDownWait().toNanos();
        while (System.nanoTime() < until) {
            List<Pod> pods = call("list the pods of " + handle.get(DEPLOYMENT), handle.get(NAMESPACE),
                    () -> client.pods().inNamespace(handle.get(NAMESPACE)).withLabels(selector(handle)).list().getItems());
            if (pods.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("pods of %s still terminating after %s; deleting the Deployment removes them", handle.get(DEPLOYMENT),
                config.scaleDownWait());
    }

    private Deployment deployment(Handle handle) {
        return client.apps().deployments().inNamespace(handle.get(NAMESPACE)).withName(handle.get(DEPLOYMENT)).get();
    }

    private Deployment findByLabel(String namespace, ReleaseRef release) {
        List<Deployment> found = call("list Deployments", namespace, () -> client.apps().deployments().inNamespace(namespace)
                .withLabels(Labels.selector(release.service(), release.environment(), release.id())).list().getItems());
        return found.isEmpty() ? null : found.get(0);
    }

    private static Map<String, String> selector(Handle handle) {
        return Labels.selector(handle.get(SERVICE_NAME), handle.get(ENVIRONMENT), handle.get(RELEASE));
    }

    private static Handle handle(String instanceId, ReleaseRef release, String namespace, String name, int port) {
        // The Service's cluster DNS name: the instance's own address for routers and probes inside the cluster.
        return new Handle(instanceId, URI.create("http://" + name + "." + namespace + ".svc:" + port),
                Map.of(NAMESPACE, namespace, DEPLOYMENT, name, RELEASE, release.id(), SERVICE_NAME, release.service(),
                        ENVIRONMENT, release.environment()));
    }

    /** A JSON pointer's escaping of a key: '~' and '/' are special. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static <T> T call(String action, String namespace, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw ApiRefusal.of(action, namespace, e);
        }
    }
}
