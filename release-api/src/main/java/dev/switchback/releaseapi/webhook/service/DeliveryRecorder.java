package dev.switchback.releaseapi.webhook.service;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.releaseapi.webhook.DeliveryState;
import dev.switchback.releaseapi.webhook.WebhookEvent;
import dev.switchback.releaseapi.webhook.WebhookSubscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns one release event into a delivery row for each subscription of its environment that chose its outcome. Only
 * rows are written, in the consumer's transaction: sending happens later, off the consumer's path, so a slow or dead
 * receiver never holds up a release. The unique key on (subscription, event) makes the row once however often and by
 * however many replicas the event is recorded.
 */
@ApplicationScoped
public class DeliveryRecorder {

    private final EntityManager entityManager;
    private final Clock clock;

    public DeliveryRecorder(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    /** Records the event's deliveries; answers how many rows it made (0 for an event already recorded). */
    @Transactional(Transactional.TxType.MANDATORY)
    public int record(CloudEvent<SwitchbackEvent> event) {
        Optional<WebhookEvent> kind = WebhookEvent.of(event.data());
        if (kind.isEmpty()) {
            return 0;
        }
        Instant happened = event.time() == null ? clock.instant() : event.time().toInstant();
        int made = 0;
        for (WebhookSubscription subscription : WebhookSubscription.ofEnvironment(event.data().release().environment())) {
            // A subscription hears of what happens after it was registered, not of the topic's history.
            if (!subscription.wants(kind.get()) || happened.isBefore(subscription.createdAt)) {
                continue;
            }
            made += entityManager.createNativeQuery("""
                            INSERT INTO webhook_delivery (id, subscription_id, event_id, event_type, event_kind, release_id,
                                                          body, state, attempts, next_attempt_at, created_at)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, now(), now())
                            ON CONFLICT (subscription_id, event_id) DO NOTHING""")
                    .setParameter(1, UUID.randomUUID())
                    .setParameter(2, subscription.id)
                    .setParameter(3, event.id())
                    .setParameter(4, event.type())
                    .setParameter(5, kind.get().wire())
                    .setParameter(6, event.data().release().id())
                    .setParameter(7, WebhookMessages.render(subscription.format, kind.get(), event))
                    .setParameter(8, DeliveryState.PENDING.name())
                    .executeUpdate();
        }
        return made;
    }
}
