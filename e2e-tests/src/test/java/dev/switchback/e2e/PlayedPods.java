package dev.switchback.e2e;

import dev.switchback.infra.PrometheusServer;
import dev.switchback.infra.test.SampleAppProcess;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Plays the Deployment controller and the kubelet of one namespace on fabric8's mock API server, which has neither,
 * with real processes: each pod of a Deployment is a sample-app process of the version the pod template's
 * {@code SERVICE_VERSION} names, ready while its readiness probe's path answers 2xx, and handed to Prometheus as a
 * scrape target labelled from the pod's labels, as a cluster's pod discovery with relabelling does. Scaling down
 * stops processes and deletes their pods; a deleted Deployment takes its pods with it (no garbage collector either).
 * A pod deleted by hand is made again from the template, as a ReplicaSet does.
 */
final class PlayedPods implements AutoCloseable {

    /** PLAYED_BY: the label tying a played pod to its Deployment (a real one carries pod-template-hash instead). */
    static final String PLAYED_BY = "switchback.dev/played-by";
    /** LABELS: the pod labels a scrape target gets, under the names the default PromQL selector uses. */
    private static final Map<String, String> LABELS = Map.of("switchback.dev/service", "service",
            "switchback.dev/environment", "environment", "switchback.dev/release", "release",
            "switchback.dev/version", "version");
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final String namespace;
    private final Path jar;
    private final Path logs;
    private final Consumer<PrometheusServer.Target> scrape;
    private final HttpClient probes = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, CompletableFuture<SampleAppProcess>> processes = new ConcurrentHashMap<>();
    private final Map<String, Long> probedAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private final Set<String> scraped = new HashSet<>();
    /** owners: the Deployment of each pod played here, by pod name. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Map<String, Integer> replicasSeen = new TreeMap<>();
    private final List<String> history = new CopyOnWriteArrayList<>();
    private final AtomicInteger serial = new AtomicInteger();
    private final ExecutorService starts = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

    PlayedPods(KubernetesClient client, String namespace, Path jar, Path logs, Consumer<PrometheusServer.Target> scrape) {
        this.client = client;
        this.namespace = namespace;
        this.jar = jar;
        this.logs = logs;
        this.scrape = scrape;
        loop.scheduleWithFixedDelay(this::reconcileSafely, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** What the controller saw, in order: "name: replicas N", "name: available", "name: deleted". */
    List<String> history() {
        return List.copyOf(history);
    }

    /** The process behind a pod, once it listens; empty for a pod not played here or still starting. */
    Optional<SampleAppProcess> process(String pod) {
        CompletableFuture<SampleAppProcess> process = processes.get(pod);
        return process == null || !process.isDone() || process.isCompletedExceptionally() ? Optional.empty()
                : Optional.of(process.join());
    }

    /** Whether the pod's readiness probe passed last time it was asked, as its Ready condition says. */
    boolean ready(String pod) {
        return ready.getOrDefault(pod, false);
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            System.out.println("[played pods] round failed: " + e);
        }
    }

    private synchronized void reconcile() {
        Set<String> present = new HashSet<>();
        for (Deployment deployment : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            String name = deployment.getMetadata().getName();
            present.add(name);
            int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
            Integer before = replicasSeen.put(name, replicas);
            if (before == null || before != replicas) {
                history.add(name + ": replicas " + replicas);
            }
            reconcile(deployment, replicas);
        }
        for (String gone : List.copyOf(replicasSeen.keySet())) {
            if (!present.contains(gone)) {
                replicasSeen.remove(gone);
                history.add(gone + ": deleted");
                pods(gone).forEach(this::remove);
            }
        }
    }

    private void reconcile(Deployment deployment, int replicas) {
        String name = deployment.getMetadata().getName();
        List<Pod> pods = pods(name);
        Set<String> podNames = new HashSet<>();
        pods.forEach(pod -> podNames.add(pod.getMetadata().getName()));
        // A pod deleted by someone else: its process goes with it.
        owners.entrySet().removeIf(owned -> {
            if (owned.getValue().equals(name) && !podNames.contains(owned.getKey())) {
                stop(owned.getKey());
                return true;
            }
            return false;
        });
        for (int i = replicas; i < pods.size(); i++) {
            remove(pods.get(i));
        }
        for (int i = pods.size(); i < replicas; i++) {
            create(deployment);
        }
        int readyPods = 0;
        for (Pod pod : pods(name)) {
            readyPods += observe(pod, deployment) ? 1 : 0;
        }
        int available = Math.min(readyPods, replicas);
        Integer was = deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas();
        if (available == replicas && replicas > 0 && (was == null || was < replicas)) {
            history.add(name + ": available");
        }
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        if (deployment.getStatus() == null || was == null || was != available
                || deployment.getStatus().getObservedGeneration() == null
                || deployment.getStatus().getObservedGeneration() != generation) {
            client.apps().deployments().inNamespace(namespace).withName(name).patch(JSON_PATCH, statusPatch(
                    new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                            .withUpdatedReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available)
                            .withUnavailableReplicas(replicas - available).build()));
        }
    }

    private void create(Deployment deployment) {
        String name = deployment.getMetadata().getName() + "-" + serial.incrementAndGet();
        String version = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("SERVICE_VERSION")).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException(deployment.getMetadata().getName() + " names no SERVICE_VERSION"));
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels(PLAYED_BY, deployment.getMetadata().getName()).endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec()).build()).create();
        owners.put(name, deployment.getMetadata().getName());
        processes.put(name, CompletableFuture.supplyAsync(() -> {
            try {
                return SampleAppProcess.start(jar, version, logs);
            } catch (Exception e) {
                throw new IllegalStateException("pod " + name + " could not start sample-app " + version, e);
            }
        }, starts));
    }

    /** Probes the pod as the kubelet would and writes its status when it changed; true when it is ready. */
    private boolean observe(Pod pod, Deployment deployment) {
        String name = pod.getMetadata().getName();
        Optional<SampleAppProcess> process = process(name);
        Probe probe = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe();
        long period = probe == null || probe.getPeriodSeconds() == null ? 10_000 : probe.getPeriodSeconds() * 1000L;
        long now = System.nanoTime();
        Long last = probedAt.get(name);
        boolean due = last == null || now - last >= TimeUnit.MILLISECONDS.toNanos(period);
        boolean wasReady = ready.getOrDefault(name, false);
        boolean isReady = wasReady;
        if (process.isPresent() && due) {
            probedAt.put(name, now);
            String path = probe == null || probe.getHttpGet() == null ? "/health" : probe.getHttpGet().getPath();
            isReady = process.get().process().isAlive() && answers(process.get().endpoint() + path);
        }
        if (last == null || isReady != wasReady) {
            ready.put(name, isReady);
            String container = pod.getSpec().getContainers().get(0).getName();
            client.pods().inNamespace(namespace).withName(name).patch(JSON_PATCH, statusPatch(new PodStatusBuilder()
                    .withPhase(process.isPresent() ? "Running" : "Pending").withPodIP("127.0.0.1")
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus(isReady ? "True" : "False").build())
                    .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(isReady)
                            .withStarted(process.isPresent()).withRestartCount(0).build()).build()));
        }
        if (isReady && scraped.add(name)) {
            Map<String, String> labels = new TreeMap<>(Map.of("pod", name, "namespace", namespace));
            LABELS.forEach((label, as) -> labels.put(as, pod.getMetadata().getLabels().get(label)));
            scrape.accept(new PrometheusServer.Target(process.get().address(), labels));
        }
        return isReady;
    }

    private boolean answers(String url) {
        try {
            return probes.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (Exception e) {
            return false;
        }
    }

    private void remove(Pod pod) {
        String name = pod.getMetadata().getName();
        client.pods().inNamespace(namespace).withName(name).delete();
        owners.remove(name);
        stop(name);
    }

    private void stop(String name) {
        CompletableFuture<SampleAppProcess> process = processes.remove(name);
        ready.remove(name);
        if (process != null) {
            process.thenAccept(SampleAppProcess::close);
        }
    }

    private List<Pod> pods(String deployment) {
        return client.pods().inNamespace(namespace).withLabel(PLAYED_BY, deployment).list().getItems();
    }

    /** A JSON patch of the status alone: a whole object read a moment earlier would undo a driver's patch. */
    private String statusPatch(Object status) {
        return "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + client.getKubernetesSerialization().asJson(status) + "}]";
    }

    /** Stops the loop and every process it started. */
    @Override
    public void close() {
        loop.shutdownNow();
        starts.shutdown();
        processes.values().forEach(process -> process.thenAccept(SampleAppProcess::close));
    }
}
