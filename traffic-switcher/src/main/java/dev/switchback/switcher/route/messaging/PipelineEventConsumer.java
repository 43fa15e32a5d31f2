package dev.switchback.switcher.route.messaging;

import dev.switchback.events.GreenReady;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.messaging.EventHandlers;
import dev.switchback.messaging.Inbox;
import dev.switchback.messaging.KeyedLanes;
import dev.switchback.switcher.route.service.Rollback;
import dev.switchback.switcher.route.service.SwitchService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Cuts over to every green that is ready, promotes on request, and switches back on every rollback request or end of a release. */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final KeyedLanes lanes;
    private final EventHandlers handlers;

    public PipelineEventConsumer(Inbox inbox, SwitchService switches, Rollback rollbacks, KeyedLanes lanes) {
        this.lanes = lanes;
        this.inbox = inbox;
        this.handlers = EventHandlers.handling()
                .on(GreenReady.class, switches::cutOver)
                .on(PromoteRequested.class, switches::promote)
                .on(RollbackRequested.class, rollbacks::rollBack)
                .on(ReleaseFailed.class, failed -> rollbacks.releaseEnded(failed.release(), failed.reason()))
                .on(ReleaseCancelled.class, cancelled -> rollbacks.releaseEnded(cancelled.release(), cancelled.reason()));
    }

    /** Each service's records on its lane: one route's events in order, different routes' at once. */
    @Incoming("pipeline")
    public CompletionStage<Void> receive(Message<String> message) {
        return lanes.submit(message, this::consume);
    }

    /** Handles one record, once ({@link Inbox}); each decision takes its route's row lock. */
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, handlers);
    }
}
