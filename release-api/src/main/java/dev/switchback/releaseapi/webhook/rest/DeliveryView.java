package dev.switchback.releaseapi.webhook.rest;

import dev.switchback.releaseapi.webhook.WebhookDelivery;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery as shown by {@code GET /webhooks/{id}/deliveries}.
 *
 * @param id            the delivery's id, sent as {@code X-Switchback-Delivery}
 * @param eventId       the CloudEvents id of the event
 * @param eventType     its type
 * @param event         the outcome it is
 * @param releaseId     the release it is about
 * @param state         {@code PENDING}, {@code SENDING}, {@code DELIVERED} or {@code FAILED}
 * @param attempts      attempts made
 * @param lastStatus    the HTTP status of the latest answer, null when none came
 * @param lastError     why the latest failed attempt failed, null when none failed
 * @param nextAttemptAt when it is due next (PENDING)
 * @param createdAt     when it was recorded
 * @param deliveredAt   when a receiver took it
 */
public record DeliveryView(UUID id, String eventId, String eventType, String event, String releaseId, String state,
                           int attempts, Integer lastStatus, String lastError, Instant nextAttemptAt, Instant createdAt,
                           Instant deliveredAt) {

    static DeliveryView of(WebhookDelivery delivery) {
        return new DeliveryView(delivery.id, delivery.eventId, delivery.eventType, delivery.eventKind, delivery.releaseId,
                delivery.state.name(), delivery.attempts, delivery.lastStatus, delivery.lastError,
                delivery.state.name().equals("PENDING") ? delivery.nextAttemptAt : null, delivery.createdAt,
                delivery.deliveredAt);
    }
}
