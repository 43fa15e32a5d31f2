package dev.switchback.deployer.instance.messaging;

import dev.switchback.deployer.instance.service.DeploymentService;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.messaging.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Deploys green once the schema change is done; retires or isolates instances after traffic moved. */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final DeploymentService deployments;

    public PipelineEventConsumer(Inbox inbox, DeploymentService deployments) {
        this.inbox = inbox;
        this.deployments = deployments;
    }

    @Incoming("pipeline")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (event.data() instanceof MigrationSucceeded succeeded) {
                deployments.afterMigration(succeeded.release(), succeeded.spec());
            } else if (event.data() instanceof MigrationSkipped skipped) {
                deployments.afterMigration(skipped.release(), skipped.spec());
            } else if (event.data() instanceof CutoverCompleted cutover) {
                deployments.cutOver(cutover);
            } else if (event.data() instanceof RollbackCompleted rollback) {
                deployments.rolledBack(rollback);
            } else if (event.data() instanceof ReleaseFailed failed) {
                deployments.releaseEnded(failed.release(), failed.reason(), false);
            } else if (event.data() instanceof ReleaseCancelled cancelled) {
                deployments.releaseEnded(cancelled.release(), cancelled.reason(), true);
            } else if (event.data() instanceof BakeCompleted baked) {
                deployments.promoted(baked.release(), baked.reason());
            }
        });
    }
}
