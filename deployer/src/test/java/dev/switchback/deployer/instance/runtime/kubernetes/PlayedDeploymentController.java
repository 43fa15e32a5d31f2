package dev.switchback.deployer.instance.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Deployment controller and the kubelet, which fabric8's mock API server does not have: every 100 ms it
 * reads the Deployments of one namespace and, per the behaviour set for the image they run, makes their pods (with
 * the template's labels) and writes their status: available after a delay, stuck pulling the image, or crashing.
 * Scaling to zero removes the pods after a delay, as terminating pods take time. What it saw is kept in order
 * ({@link #history}), so a test can tell a scale-down came before a deletion.
 */
final class PlayedDeploymentController implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PlayedDeploymentController.class);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    /** How the pods of an image behave. */
    enum Behaviour {
        /** HEALTHY: pods become ready after the delay. */
        HEALTHY,
        /** IMAGE_PULL_BACK_OFF: the image is not found: ErrImagePull, then ImagePullBackOff after the delay. */
        IMAGE_PULL_BACK_OFF,
        /** CRASH_LOOP: the container exits 1 at start and restarts, CrashLoopBackOff. */
        CRASH_LOOP,
        /** PENDING: nothing ever becomes ready (no node has room). */
        PENDING
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
    private final Map<String, Instant> scaledDownAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastReplicas = new HashMap<>();
    private final List<String> history = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private volatile Duration delay = Duration.ofMillis(1500);

    PlayedDeploymentController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        loop.scheduleWithFixedDelay(this::reconcileSafely, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Sets how pods of images whose reference contains {@code imagePart} behave (HEALTHY for any other). */
    PlayedDeploymentController behave(String imagePart, Behaviour behaviour) {
        behaviours.put(imagePart, behaviour);
        return this;
    }

    /** Sets how long pods take to become ready, to reach back-off, or to terminate. */
    PlayedDeploymentController delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** What the controller saw, in order: "name: replicas N", "name: available", "name: deleted". */
    List<String> history() {
        return List.copyOf(history);
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.debugf("controller round failed: %s", e.getMessage());
        }
    }

    private synchronized void reconcile() {
        List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).list().getItems();
        List<String> present = new ArrayList<>();
        for (Deployment deployment : deployments) {
            String name = deployment.getMetadata().getName();
            present.add(name);
            int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
            Integer before = lastReplicas.put(name, replicas);
            if (before == null || before != replicas) {
                history.add(name + ": replicas " + replicas);
                if (replicas == 0) {
                    scaledDownAt.put(name, Instant.now());
                }
            }
            firstSeen.putIfAbsent(name, Instant.now());
            reconcile(deployment, replicas);
        }
        for (String gone : List.copyOf(lastReplicas.keySet())) {
            if (!present.contains(gone)) {
                lastReplicas.remove(gone);
                history.add(gone + ": deleted");
                // No garbage collector either: the pods of a deleted Deployment go with it.
                client.pods().inNamespace(namespace).withLabel("switchback.dev/played-by", gone).delete();
            }
        }
    }

    private void reconcile(Deployment deployment, int replicas) {
        String name = deployment.getMetadata().getName();
        String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        Behaviour behaviour = behaviours.entrySet().stream().filter(e -> image.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(Behaviour.HEALTHY);
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel("switchback.dev/played-by", name).list().getItems();
        if (replicas == 0) {
            Instant since = scaledDownAt.getOrDefault(name, Instant.now());
            if (!pods.isEmpty() && Instant.now().isAfter(since.plus(delay))) {
                client.pods().inNamespace(namespace).withLabel("switchback.dev/played-by", name).delete();
                pods = List.of();
            }
        }
        boolean late = Instant.now().isAfter(firstSeen.get(name).plus(delay));
        for (int i = pods.size(); i < replicas; i++) {
            Pod pod = new PodBuilder().withNewMetadata().withName(name + "-pod-" + i).withNamespace(namespace)
                    .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .addToLabels("switchback.dev/played-by", name).endMetadata()
                    .withSpec(deployment.getSpec().getTemplate().getSpec()).build();
            client.pods().inNamespace(namespace).resource(pod).create();
        }
        pods = client.pods().inNamespace(namespace).withLabel("switchback.dev/played-by", name).list().getItems();
        int ready = 0;
        for (Pod pod : pods) {
            ready += writePodStatus(pod, behaviour, late, image) ? 1 : 0;
        }
        int available = replicas == 0 ? 0 : Math.min(ready, replicas);
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        Integer wasAvailable = deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas();
        if (available == replicas && replicas > 0 && (wasAvailable == null || wasAvailable < replicas)) {
            history.add(name + ": available");
        }
        client.apps().deployments().inNamespace(namespace).withName(name).patch(JSON_PATCH, statusPatch(
                new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(pods.size())
                        .withUpdatedReplicas(pods.size()).withReadyReplicas(ready).withAvailableReplicas(available)
                        .withUnavailableReplicas(Math.max(0, replicas - available)).build()));
    }

    /** Writes the pod's status as the kubelet would; true when it is ready. */
    private boolean writePodStatus(Pod pod, Behaviour behaviour, boolean late, String image) {
        String container = pod.getSpec().getContainers().get(0).getName();
        ContainerStatusBuilder status = new ContainerStatusBuilder().withName(container).withImage(image);
        boolean ready = false;
        String phase = "Pending";
        switch (behaviour) {
            case HEALTHY -> {
                ready = late;
                if (ready) {
                    status.withReady(true).withStarted(true).withNewState().withNewRunning().endRunning().endState();
                    phase = "Running";
                } else {
                    status.withReady(false).withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting()
                            .endState();
                }
            }
            case IMAGE_PULL_BACK_OFF -> {
                String reason = late ? "ImagePullBackOff" : "ErrImagePull";
                status.withReady(false).withNewState().withNewWaiting().withReason(reason)
                        .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState();
                warn(pod, "Failed", "Failed to pull image \"" + image + "\": manifest unknown");
            }
            case CRASH_LOOP -> {
                status.withReady(false).withRestartCount(late ? 4 : 1).withNewState().withNewWaiting()
                        .withReason("CrashLoopBackOff").withMessage("back-off 40s restarting failed container")
                        .endWaiting().endState().withNewLastState().withNewTerminated().withExitCode(1)
                        .withReason("Error").endTerminated().endLastState();
                phase = "Running";
            }
            case PENDING -> status.withReady(false).withNewState().withNewWaiting().withReason("ContainerCreating")
                    .endWaiting().endState();
        }
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).patch(JSON_PATCH, statusPatch(
                new PodStatusBuilder().withPhase(phase).withContainerStatuses(status.build()).build()));
        return ready;
    }

    /**
     * A JSON patch of nothing but the status: written while the driver patches replicas and labels, a whole object
     * read a moment earlier would put back what the driver just changed (the mock replaces whole objects).
     */
    private String statusPatch(Object status) {
        return "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + client.getKubernetesSerialization().asJson(status) + "}]";
    }

    private void warn(Pod pod, String reason, String message) {
        String name = pod.getMetadata().getName() + ".failed";
        if (client.v1().events().inNamespace(namespace).withName(name).get() != null) {
            return;
        }
        client.v1().events().inNamespace(namespace).resource(new EventBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withType("Warning").withReason(reason).withMessage(message)
                .withLastTimestamp(Instant.now().toString()).withNewInvolvedObject().withKind("Pod")
                .withName(pod.getMetadata().getName()).withNamespace(namespace).endInvolvedObject().build()).create();
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
