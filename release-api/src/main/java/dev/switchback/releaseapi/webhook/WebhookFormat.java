package dev.switchback.releaseapi.webhook;

import java.util.Arrays;
import java.util.Optional;

/** What a subscription's receiver reads: Switchback's own signed JSON, or a Slack-compatible message. */
public enum WebhookFormat {
    /** JSON: {@code {"kind","summary","release","event"}}, signed with HMAC-SHA256 over the timestamp and the body. */
    JSON("json"),
    /** SLACK: {@code {"text","blocks"}}, as Slack's incoming webhooks (and Mattermost, Rocket.Chat) take it. */
    SLACK("slack");

    /** wire: the name given in a subscription. */
    private final String wire;

    WebhookFormat(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<WebhookFormat> named(String wire) {
        return Arrays.stream(values()).filter(value -> value.wire.equals(wire)).findFirst();
    }
}
