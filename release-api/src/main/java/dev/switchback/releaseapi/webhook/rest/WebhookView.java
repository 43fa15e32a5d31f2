package dev.switchback.releaseapi.webhook.rest;

import dev.switchback.releaseapi.webhook.WebhookSubscription;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook subscription as shown: everything but its secret, of which only whether there is one.
 *
 * @param id          its id
 * @param environment whose releases it reports
 * @param url         where it POSTs
 * @param kind        {@code json} or {@code slack}
 * @param events      the outcomes it chose
 * @param signed      whether deliveries carry a signature
 * @param createdBy   who registered it
 * @param createdAt   when
 */
public record WebhookView(UUID id, String environment, String url, String kind, List<String> events, boolean signed,
                          String createdBy, Instant createdAt) {

    static WebhookView of(WebhookSubscription subscription) {
        return new WebhookView(subscription.id, subscription.environment, subscription.url, subscription.format.wire(),
                subscription.eventNames(), subscription.secret != null, subscription.createdBy, subscription.createdAt);
    }
}
