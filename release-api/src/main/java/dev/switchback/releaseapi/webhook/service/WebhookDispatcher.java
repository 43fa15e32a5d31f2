package dev.switchback.releaseapi.webhook.service;

import dev.switchback.releaseapi.webhook.DeliveryState;
import dev.switchback.releaseapi.webhook.WebhookConfig;
import dev.switchback.releaseapi.webhook.WebhookDelivery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the deliveries that are due, on the scheduler's thread, never the consumer's. A batch is claimed in a short
 * transaction ({@code FOR UPDATE SKIP LOCKED}: of two replicas each claims other rows), marked SENDING with a lease and
 * its attempt counted; the attempts go out in parallel with no transaction open; each outcome is written only if the
 * row is still the one claimed (same attempt, still SENDING), so a replica that outlived its lease cannot overwrite
 * the one that took the row over.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** LEASE_MARGIN: how much longer than the receiver's timeout a claim lasts before another replica may take it. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final WebhookConfig config;
    private final WebhookSender sender;
    private final EntityManager entityManager;
    private final Clock clock;

    public WebhookDispatcher(WebhookConfig config, WebhookSender sender, EntityManager entityManager, Clock clock) {
        this.config = config;
        this.sender = sender;
        this.entityManager = entityManager;
        this.clock = clock;
    }

    @Scheduled(every = "${switchback.webhooks.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        if (!config.enabled()) {
            return;
        }
        try {
            while (dispatchDue() == config.batchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook deliveries wait for the next round: %s", e.getMessage());
        }
    }

    /** One claimed delivery: the row's id and attempt number, and what to send. */
    record Claimed(UUID id, int attempt, WebhookSender.Attempt what) {
    }

    /** Claims the due deliveries this replica may send, sends them, and records each outcome; answers how many. */
    public int dispatchDue() {
        List<Claimed> claimed = QuarkusTransaction.requiringNew().call(this::claim);
        List<CompletableFuture<WebhookSender.Outcome>> sends = new ArrayList<>();
        for (Claimed delivery : claimed) {
            sends.add(sender.send(delivery.what()));
        }
        for (int i = 0; i < claimed.size(); i++) {
            Claimed delivery = claimed.get(i);
            WebhookSender.Outcome outcome = sends.get(i).join();
            QuarkusTransaction.requiringNew().run(() -> settle(delivery, outcome));
        }
        return claimed.size();
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim() {
        long leaseMillis = config.timeout().plus(LEASE_MARGIN).toMillis();
        List<Object[]> rows = entityManager.createNativeQuery("""
                        UPDATE webhook_delivery d
                           SET state = 'SENDING', attempts = d.attempts + 1,
                               lease_until = now() + CAST(?1 AS double precision) * interval '1 millisecond'
                          FROM webhook_subscription s
                         WHERE s.id = d.subscription_id
                           AND d.id IN (SELECT id FROM webhook_delivery
                                         WHERE (state = 'PENDING' AND next_attempt_at <= now())
                                            OR (state = 'SENDING' AND lease_until < now())
                                         ORDER BY next_attempt_at
                                         LIMIT ?2
                                           FOR UPDATE SKIP LOCKED)
                        RETURNING d.id, d.attempts, s.url, d.body, s.secret, d.event_id, d.event_kind""")
                .setParameter(1, leaseMillis)
                .setParameter(2, config.batchSize())
                .getResultList();
        List<Claimed> claimed = new ArrayList<>();
        for (Object[] row : rows) {
            UUID id = UUID.fromString(row[0].toString());
            claimed.add(new Claimed(id, ((Number) row[1]).intValue(), new WebhookSender.Attempt(
                    (String) row[2], (String) row[3], (String) row[4], id.toString(), (String) row[5], (String) row[6])));
        }
        return claimed;
    }

    /** Records an attempt's outcome on the row read under its lock, if it is still the attempt this replica claimed. */
    private void settle(Claimed delivery, WebhookSender.Outcome outcome) {
        WebhookDelivery row = WebhookDelivery.findById(delivery.id(), LockModeType.PESSIMISTIC_WRITE);
        if (row == null || row.state != DeliveryState.SENDING || row.attempts != delivery.attempt()) {
            LOG.infof("delivery %s was taken over after its lease (or its subscription deleted); its outcome is not ours",
                    delivery.id());
            return;
        }
        DeliveryState next = DeliveryState.afterAttempt(outcome.succeeded(), delivery.attempt(), config.maxAttempts());
        Instant now = clock.instant();
        row.state = next;
        row.lastStatus = outcome.status();
        row.lastError = outcome.succeeded() ? row.lastError : outcome.error();
        row.leaseUntil = null;
        if (next == DeliveryState.PENDING) {
            row.nextAttemptAt = now.plus(DeliveryState.backoff(delivery.attempt(), config.initialBackoff(), config.maxBackoff()));
            LOG.infof("webhook delivery %s attempt %d failed (%s); next at %s", delivery.id(), delivery.attempt(),
                    outcome.error(), row.nextAttemptAt);
        } else if (next == DeliveryState.DELIVERED) {
            row.deliveredAt = now;
        } else {
            LOG.warnf("webhook delivery %s failed for good after %d attempts: %s", delivery.id(), delivery.attempt(),
                    outcome.error());
        }
    }
}
