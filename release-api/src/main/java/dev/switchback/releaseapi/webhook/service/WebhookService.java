package dev.switchback.releaseapi.webhook.service;

import dev.switchback.audit.AuditLog;
import dev.switchback.releaseapi.webhook.WebhookSubscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.UUID;

/** Registers and deletes webhook subscriptions, each change audited with it (the secret never in the trail). */
@ApplicationScoped
public class WebhookService {

    private final AuditLog audit;

    public WebhookService(AuditLog audit) {
        this.audit = audit;
    }

    @Transactional
    public void register(WebhookSubscription subscription) {
        subscription.persist();
        audit.append("webhook.register", null, subscription.environment, null, describe(subscription));
    }

    /** Deletes a subscription and its deliveries (pending ones are not sent); empty when there is none. */
    @Transactional
    public Optional<WebhookSubscription> delete(UUID id) {
        Optional<WebhookSubscription> found = WebhookSubscription.findByIdOptional(id);
        found.ifPresent(subscription -> {
            subscription.delete();
            audit.append("webhook.delete", null, subscription.environment, null, describe(subscription));
        });
        return found;
    }

    private static String describe(WebhookSubscription subscription) {
        return "webhook " + subscription.id + " (" + subscription.format.wire() + ", " + subscription.events + ") to "
                + subscription.url;
    }
}
