package dev.switchback.releaseapi.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An admin's request to be told of some release outcomes of one environment at one URL. */
@Entity
@Table(name = "webhook_subscription")
public class WebhookSubscription extends PanacheEntityBase {

    /** id: given when the subscription is registered. */
    @Id
    public UUID id;

    /** environment: whose releases are reported. */
    public String environment;

    /** url: where deliveries are POSTed (http or https). */
    public String url;

    /** format: what the receiver reads. */
    @Enumerated(EnumType.STRING)
    @Column(name = "kind")
    public WebhookFormat format;

    /** events: the outcomes chosen, wire names separated by commas. */
    public String events;

    /** secret: the HMAC key of the signature header; null for a Slack subscription without one. Never shown. */
    public String secret;

    /** createdBy: the admin who registered it. */
    @Column(name = "created_by")
    public String createdBy;

    /** createdAt: when; events that happened before are not delivered to it. */
    @Column(name = "created_at")
    public Instant createdAt;

    public List<String> eventNames() {
        return Arrays.asList(events.split(","));
    }

    public boolean wants(WebhookEvent event) {
        return eventNames().contains(event.wire());
    }

    public static List<WebhookSubscription> ofEnvironment(String environment) {
        return list("environment = ?1 order by createdAt", environment);
    }
}
