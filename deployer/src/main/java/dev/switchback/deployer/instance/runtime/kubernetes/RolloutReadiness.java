package dev.switchback.deployer.instance.runtime.kubernetes;

import dev.switchback.deployer.instance.runtime.Answer;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Whether a green's Deployment is ready, read from what the cluster reports, never assumed: yes once the controller
 * has observed its latest generation and as many replicas are available as it asks for; no when its pods say they
 * never will be (an image that cannot be pulled, a container crashing again and again, the controller's progress
 * deadline); not yet otherwise, with what the pods are waiting for, so a deadline that passes says why. Pure.
 */
public final class RolloutReadiness {

    /** FINAL_WAITING: waiting reasons the kubelet only backs off from: nothing changes unless someone acts. */
    static final Set<String> FINAL_WAITING = Set.of("ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName",
            "CreateContainerConfigError");
    /** CRASH_LOOP: a container restarting this often is no slow start any more. */
    static final int CRASH_LOOP_RESTARTS = 3;

    private RolloutReadiness() {
    }

    /**
     * Judges a Deployment by its status and its pods'.
     *
     * @param deployment the Deployment as read; null when it is gone
     * @param pods       its pods
     * @param events     the namespace's warning events, read only when a pod is in trouble
     */
    public static Answer judge(Deployment deployment, List<Pod> pods, Supplier<List<Event>> events) {
        if (deployment == null) {
            return Answer.no("its Deployment is gone");
        }
        String name = deployment.getMetadata().getName();
        DeploymentStatus status = deployment.getStatus();
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        if (status == null || status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return Answer.notYet("the Deployment controller has not yet observed generation " + generation + " of " + name);
        }
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        int available = status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        if (wanted == 0) {
            return Answer.no(name + " is scaled to zero");
        }
        if (available >= wanted) {
            return Answer.yes();
        }
        String progress = name + ": " + available + " of " + wanted + " replicas available";
        for (DeploymentCondition condition : Objects.requireNonNullElse(status.getConditions(), List.<DeploymentCondition>of())) {
            if ("Progressing".equals(condition.getType()) && "False".equals(condition.getStatus())
                    && "ProgressDeadlineExceeded".equals(condition.getReason())) {
                return Answer.no(progress + "; ProgressDeadlineExceeded: " + condition.getMessage() + troubles(pods, events));
            }
        }
        List<String> fatal = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (Pod pod : pods) {
            podTroubles(pod, fatal, waiting);
        }
        if (!fatal.isEmpty()) {
            return Answer.no(progress + "; " + String.join("; ", fatal) + warnings(pods, events));
        }
        if (!waiting.isEmpty()) {
            return Answer.notYet(progress + "; " + String.join("; ", waiting) + warnings(pods, events));
        }
        return Answer.notYet(progress);
    }

    private static void podTroubles(Pod pod, List<String> fatal, List<String> waiting) {
        String name = pod.getMetadata().getName();
        if (pod.getStatus() == null) {
            waiting.add("pod " + name + " has no status yet");
            return;
        }
        if ("Failed".equals(pod.getStatus().getPhase())) {
            fatal.add("pod " + name + " failed: " + pod.getStatus().getReason() + " " + nonNull(pod.getStatus().getMessage()));
            return;
        }
        for (PodCondition condition : Objects.requireNonNullElse(pod.getStatus().getConditions(), List.<PodCondition>of())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                waiting.add("pod " + name + " is not scheduled: " + condition.getReason() + " " + nonNull(condition.getMessage()));
            }
        }
        List<ContainerStatus> containers = Stream.concat(
                Objects.requireNonNullElse(pod.getStatus().getInitContainerStatuses(), List.<ContainerStatus>of()).stream(),
                Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.<ContainerStatus>of()).stream())
                .toList();
        for (ContainerStatus container : containers) {
            ContainerStateWaiting wait = container.getState() == null ? null : container.getState().getWaiting();
            if (wait == null || wait.getReason() == null) {
                continue;
            }
            String what = "pod " + name + " container " + container.getName() + ": " + wait.getReason()
                    + (wait.getMessage() == null ? "" : " (" + wait.getMessage() + ")") + lastExit(container);
            int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
            boolean crashLoop = "CrashLoopBackOff".equals(wait.getReason()) && restarts >= CRASH_LOOP_RESTARTS;
            if (FINAL_WAITING.contains(wait.getReason()) || crashLoop) {
                fatal.add(what);
            } else {
                waiting.add(what);
            }
        }
    }

    private static String lastExit(ContainerStatus container) {
        ContainerStateTerminated last = container.getLastState() == null ? null : container.getLastState().getTerminated();
        if (last == null) {
            return "";
        }
        return ", restarted " + container.getRestartCount() + " times, last exit " + last.getExitCode()
                + (last.getReason() == null ? "" : " " + last.getReason());
    }

    private static String troubles(List<Pod> pods, Supplier<List<Event>> events) {
        List<String> all = new ArrayList<>();
        for (Pod pod : pods) {
            podTroubles(pod, all, all);
        }
        return (all.isEmpty() ? "" : "; " + String.join("; ", all)) + warnings(pods, events);
    }

    /** The latest warning event of each of the pods, at most three: what kubelet and scheduler said. */
    private static String warnings(List<Pod> pods, Supplier<List<Event>> events) {
        Set<String> names = Set.copyOf(pods.stream().map(p -> p.getMetadata().getName()).toList());
        List<String> said = events.get().stream()
                .filter(e -> "Warning".equals(e.getType()) && e.getInvolvedObject() != null
                        && names.contains(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(RolloutReadiness::when).reversed())
                .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage())
                .distinct().limit(3).toList();
        return said.isEmpty() ? "" : "; events: " + String.join("; ", said);
    }

    private static String when(Event event) {
        String time = event.getLastTimestamp() != null ? event.getLastTimestamp() : event.getFirstTimestamp();
        return time == null ? "" : time;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
