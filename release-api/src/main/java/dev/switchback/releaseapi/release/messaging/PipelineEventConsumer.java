package dev.switchback.releaseapi.release.messaging;

import dev.switchback.messaging.Inbox;
import dev.switchback.releaseapi.copy.service.CopyProjector;
import dev.switchback.releaseapi.release.service.StageProjector;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes every stage's outcome (migrations, deployments, traffic) into the release's status, and what the stages report
 * of a requested copy into the copy's, once each.
 */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final StageProjector projector;
    private final CopyProjector copies;

    public PipelineEventConsumer(Inbox inbox, StageProjector projector, CopyProjector copies) {
        this.inbox = inbox;
        this.projector = projector;
        this.copies = copies;
    }

    @Incoming("pipeline")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, event -> {
            if (CopyProjector.handles(event.data())) {
                copies.apply(event.data());
            } else {
                projector.apply(event);
            }
        });
    }
}
