package dev.switchback.releaseapi.webhook.messaging;

import dev.switchback.messaging.Inbox;
import dev.switchback.releaseapi.webhook.WebhookEvent;
import dev.switchback.releaseapi.webhook.service.DeliveryRecorder;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads release-api's own release events (a consumer group of their own, so the pipeline's projection never waits
 * for it) and records their webhook deliveries once each through the inbox: a redelivered event makes no second row.
 */
@ApplicationScoped
public class ReleaseEventWebhooks {

    private final Inbox inbox;
    private final DeliveryRecorder recorder;

    public ReleaseEventWebhooks(Inbox inbox, DeliveryRecorder recorder) {
        this.inbox = inbox;
        this.recorder = recorder;
    }

    @Incoming("webhooks")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        // Only the outcomes a subscription can ask for make rows: the other events need no transaction here.
        inbox.receiveDurably(record, event -> WebhookEvent.of(event).isPresent(), recorder::record);
    }
}
