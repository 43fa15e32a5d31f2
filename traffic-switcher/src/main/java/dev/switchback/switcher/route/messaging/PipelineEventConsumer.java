package dev.switchback.switcher.route.messaging;

import dev.switchback.events.GreenReady;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.messaging.Inbox;
import dev.switchback.switcher.route.service.Rollback;
import dev.switchback.switcher.route.service.SwitchService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Cuts over to every green that is ready, promotes on request, and switches back on every rollback request or end of a release. */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final SwitchService switches;
    private final Rollback rollbacks;

    public PipelineEventConsumer(Inbox inbox, SwitchService switches, Rollback rollbacks) {
        this.inbox = inbox;
        this.switches = switches;
        this.rollbacks = rollbacks;
    }

    @Incoming("pipeline")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (event.data() instanceof GreenReady ready) {
                switches.cutOver(ready);
            } else if (event.data() instanceof PromoteRequested promote) {
                switches.promote(promote);
            } else if (event.data() instanceof RollbackRequested rollback) {
                rollbacks.rollBack(rollback);
            } else if (event.data() instanceof ReleaseFailed failed) {
                rollbacks.releaseEnded(failed.release(), failed.reason());
            } else if (event.data() instanceof ReleaseCancelled cancelled) {
                rollbacks.releaseEnded(cancelled.release(), cancelled.reason());
            }
        });
    }
}
