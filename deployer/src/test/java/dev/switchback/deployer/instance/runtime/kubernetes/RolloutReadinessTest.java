package dev.switchback.deployer.instance.runtime.kubernetes;

import dev.switchback.deployer.instance.runtime.Answer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a Deployment's status and its pods' container states become yes, not yet or no. */
class RolloutReadinessTest {

    @Test
    void shouldAnswerYesOnlyOnceTheLatestGenerationIsObservedAndEveryReplicaIsAvailable() {
        assertThat(judge(deployment(3, 2L, 1L, 3)).status()).isEqualTo(Answer.Status.NOT_YET);
        assertThat(judge(deployment(3, 2L, 2L, 2)).status()).isEqualTo(Answer.Status.NOT_YET);
        assertThat(judge(deployment(3, 2L, 2L, 3)).isYes()).isTrue();
    }

    @Test
    void shouldAnswerNoForAGoneDeploymentAndOneScaledToZero() {
        assertThat(RolloutReadiness.judge(null, List.of(), List::of).reason()).contains("gone");
        assertThat(judge(deployment(0, 1L, 1L, 0)).isNo()).isTrue();
    }

    @Test
    void shouldAnswerNoWithTheReasonWhenAnImageCannotBePulledButNotYetOnTheFirstFailedPull() {
        Deployment deployment = deployment(1, 1L, 1L, 0);

        Answer first = RolloutReadiness.judge(deployment, List.of(waiting("ErrImagePull", 0)), List::of);
        Answer backOff = RolloutReadiness.judge(deployment, List.of(waiting("ImagePullBackOff", 0)), List::of);

        assertThat(first.status()).isEqualTo(Answer.Status.NOT_YET);
        assertThat(first.reason()).contains("ErrImagePull");
        assertThat(backOff.isNo()).isTrue();
        assertThat(backOff.reason()).contains("pod p container app: ImagePullBackOff (pulling)");
    }

    @Test
    void shouldAnswerNoForACrashLoopOnlyAfterRepeatedRestarts() {
        Deployment deployment = deployment(1, 1L, 1L, 0);

        assertThat(RolloutReadiness.judge(deployment, List.of(waiting("CrashLoopBackOff", 1)), List::of).status())
                .isEqualTo(Answer.Status.NOT_YET);
        assertThat(RolloutReadiness.judge(deployment, List.of(waiting("CrashLoopBackOff", 3)), List::of).isNo()).isTrue();
    }

    @Test
    void shouldAddThePodsLatestWarningEventsToTheReason() {
        Event warning = new io.fabric8.kubernetes.api.model.EventBuilder().withType("Warning").withReason("Failed")
                .withMessage("manifest unknown").withLastTimestamp("2026-12-02T03:00:00Z")
                .withNewInvolvedObject().withName("p").endInvolvedObject().build();
        Event otherPods = new io.fabric8.kubernetes.api.model.EventBuilder().withType("Warning").withReason("Failed")
                .withMessage("not ours").withNewInvolvedObject().withName("q").endInvolvedObject().build();

        Answer answer = RolloutReadiness.judge(deployment(1, 1L, 1L, 0), List.of(waiting("ImagePullBackOff", 0)),
                () -> List.of(warning, otherPods));

        assertThat(answer.reason()).contains("events: p Failed: manifest unknown").doesNotContain("not ours");
    }

    @Test
    void shouldAnswerNoWhenTheControllersProgressDeadlineIsExceeded() {
        Deployment deployment = new DeploymentBuilder(deployment(1, 1L, 1L, 0)).editStatus().addNewCondition()
                .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet has timed out progressing").endCondition().endStatus().build();

        assertThat(judge(deployment).isNo()).isTrue();
        assertThat(judge(deployment).reason()).contains("ProgressDeadlineExceeded: ReplicaSet has timed out progressing");
    }

    private static Answer judge(Deployment deployment) {
        return RolloutReadiness.judge(deployment, List.of(), List::of);
    }

    private static Deployment deployment(int replicas, Long generation, Long observed, int available) {
        return new DeploymentBuilder().withNewMetadata().withName("app-1234abcd").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withObservedGeneration(observed).withAvailableReplicas(available).endStatus().build();
    }

    private static Pod waiting(String reason, int restarts) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Pending")
                .addNewContainerStatus().withName("app").withRestartCount(restarts).withNewState().withNewWaiting()
                .withReason(reason).withMessage("pulling").endWaiting().endState().endContainerStatus().endStatus().build();
    }
}
