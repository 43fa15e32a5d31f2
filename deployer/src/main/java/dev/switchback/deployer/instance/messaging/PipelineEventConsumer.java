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
import dev.switchback.messaging.EventHandlers;
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
    private final KeyedLanes lanes;
    private final EventHandlers handlers;

    public PipelineEventConsumer(Inbox inbox, GreenDeployment greens, Handover handover, CopyProof copies,
                                 RequestedCopies requested, KeyedLanes lanes) {
        this.lanes = lanes;
        this.inbox = inbox;
        this.handlers = EventHandlers.handling()
                .on(MigrationSucceeded.class, succeeded -> greens.afterMigration(succeeded.release(), succeeded.spec()))
                .on(MigrationSkipped.class, skipped -> greens.afterMigration(skipped.release(), skipped.spec()))
                .on(CopyPrepared.class, copies::prove)
                .on(CopyCreated.class, requested::start)
                .on(CopyRetireRequested.class, retire -> requested.retire(retire.release(), retire.copyId(),
                        "retired by " + retire.requestedBy() + ": " + retire.reason()))
                .on(CutoverCompleted.class, handover::cutOver)
                .on(RollbackCompleted.class, handover::rolledBack)
                .on(ReleaseFailed.class, failed -> handover.releaseEnded(failed.release(), failed.reason(), false))
                .on(ReleaseCancelled.class, cancelled -> handover.releaseEnded(cancelled.release(), cancelled.reason(), true))
                .on(BakeCompleted.class, baked -> handover.promoted(baked.release(), baked.reason()));
    }

    /** Each service's records on its lane: one service's events in order, different services' at once. */
    @Incoming("pipeline")
    public CompletionStage<Void> receive(Message<String> message) {
        return lanes.submit(message, this::consume);
    }

    /** Handles one record, once ({@link Inbox}); the decisions take their scope's lock. */
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, handlers);
    }
}
