package dev.switchback.releaseapi.release.messaging;

import dev.switchback.messaging.Inbox;
import dev.switchback.releaseapi.release.service.ReleaseService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Takes every stage's outcome (migrations, deployments, traffic) into the release's status, once each. */
@ApplicationScoped
public class PipelineEventConsumer {

    private final Inbox inbox;
    private final ReleaseService releases;

    public PipelineEventConsumer(Inbox inbox, ReleaseService releases) {
        this.inbox = inbox;
        this.releases = releases;
    }

    @Incoming("pipeline")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        inbox.receiveDurably(record, releases::apply);
    }
}
