package dev.switchback.releaseapi.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One event for one subscription: made once (unique on subscription and event), claimed and sent by one replica at a
 * time, its outcome kept for {@code GET /webhooks/{id}/deliveries}. Written by SQL of {@code DeliveryRecorder} and
 * {@code WebhookDispatcher}; read here.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

    /** id: sent as {@code X-Switchback-Delivery}, the same on every attempt, for receivers to de-duplicate on. */
    @Id
    public UUID id;

    /** subscriptionId: whose delivery it is. */
    @Column(name = "subscription_id")
    public UUID subscriptionId;

    /** eventId: the CloudEvents id of the event delivered. */
    @Column(name = "event_id")
    public String eventId;

    /** eventType: its CloudEvents type. */
    @Column(name = "event_type")
    public String eventType;

    /** eventKind: the outcome it is, a {@link WebhookEvent} wire name. */
    @Column(name = "event_kind")
    public String eventKind;

    /** releaseId: the release it is about. */
    @Column(name = "release_id")
    public String releaseId;

    /** body: what is POSTed, rendered when the delivery was made, the same on every attempt. */
    public String body;

    /** state: where it stands. */
    @Enumerated(EnumType.STRING)
    public DeliveryState state;

    /** attempts: how many attempts were started. */
    public int attempts;

    /** nextAttemptAt: when it is due (PENDING). */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** leaseUntil: until when the replica that claimed it may send it (SENDING); null otherwise. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** lastStatus: the HTTP status of the latest answer; null when none came (timeout, refused connection). */
    @Column(name = "last_status")
    public Integer lastStatus;

    /** lastError: why the latest failed attempt failed; null when none failed. */
    @Column(name = "last_error")
    public String lastError;

    /** createdAt: when the event was recorded for the subscription. */
    @Column(name = "created_at")
    public Instant createdAt;

    /** deliveredAt: when a receiver took it; null until then. */
    @Column(name = "delivered_at")
    public Instant deliveredAt;

    /** The latest deliveries of a subscription, newest first. */
    public static List<WebhookDelivery> latestOf(UUID subscriptionId, int limit) {
        return find("subscriptionId = ?1 order by createdAt desc, id", subscriptionId).page(0, limit).list();
    }
}
