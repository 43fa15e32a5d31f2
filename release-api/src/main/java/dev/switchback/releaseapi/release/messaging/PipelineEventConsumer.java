package dev.switchback.releaseapi.release.messaging;

import dev.switchback.messaging.Inbox;
import dev.switchback.releaseapi.release.service.StageProjector;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Takes every stage's outcome (migrations, deployments, traffic) into the release's status, once each. */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final StageProjector projector;

    public PipelineEventConsumer(Inbox inbox, StageProjector projector) {
        this.inbox = inbox;
        this.projector = projector;
    }

    @Incoming("pipeline")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, projector::apply);
    }
}
