package dev.switchback.deployer.instance.messaging;

import dev.switchback.deployer.instance.service.GreenDeployment;
import dev.switchback.deployer.instance.service.Handover;
import dev.switchback.deployer.copy.service.CopyProof;
import dev.switchback.deployer.copy.service.RequestedCopies;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CopyCreated;
import dev.switchback.events.CopyPrepared;
import dev.switchback.events.CopyRetireRequested;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.MigrationSucceeded;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.messaging.Inbox;
import dev.switchback.messaging.KeyedLanes;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Deploys green once the schema change is done; retires or isolates instances after traffic moved; proves contracts on
 * copies; starts and retires the copies an admin asks for.
 */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final GreenDeployment greens;
    private final Handover handover;
    private final CopyProof copies;
    private final RequestedCopies requested;
    private final KeyedLanes lanes;

    public PipelineEventConsumer(Inbox inbox, GreenDeployment greens, Handover handover, CopyProof copies,
                                 RequestedCopies requested, KeyedLanes lanes) {
        this.lanes = lanes;
        this.inbox = inbox;
        this.greens = greens;
        this.handover = handover;
        this.copies = copies;
        this.requested = requested;
    }

    /** Each service's records on its lane: one service's events in order, different services' at once. */
    @Incoming("pipeline")
    public CompletionStage<Void> receive(Message<String> message) {
        return lanes.submit(message, this::consume);
    }

    /** Handles one record, once ({@link Inbox}); the decisions take their scope's lock. */
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (event.data() instanceof MigrationSucceeded succeeded) {
                greens.afterMigration(succeeded.release(), succeeded.spec());
            } else if (event.data() instanceof MigrationSkipped skipped) {
                greens.afterMigration(skipped.release(), skipped.spec());
            } else if (event.data() instanceof CopyPrepared prepared) {
                copies.prove(prepared);
            } else if (event.data() instanceof CopyCreated created) {
                requested.start(created);
            } else if (event.data() instanceof CopyRetireRequested retire) {
                requested.retire(retire.release(), retire.copyId(), "retired by " + retire.requestedBy() + ": " + retire.reason());
            } else if (event.data() instanceof CutoverCompleted cutover) {
                handover.cutOver(cutover);
            } else if (event.data() instanceof RollbackCompleted rollback) {
                handover.rolledBack(rollback);
            } else if (event.data() instanceof ReleaseFailed failed) {
                handover.releaseEnded(failed.release(), failed.reason(), false);
            } else if (event.data() instanceof ReleaseCancelled cancelled) {
                handover.releaseEnded(cancelled.release(), cancelled.reason(), true);
            } else if (event.data() instanceof BakeCompleted baked) {
                handover.promoted(baked.release(), baked.reason());
            }
        });
    }
}
