package dev.switchback.releaseapi.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchback.events.ApprovalRequested;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.EventCodec;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseLive;
import dev.switchback.events.ReleasePromoted;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseRolledBack;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.releaseapi.webhook.WebhookEvent;
import dev.switchback.releaseapi.webhook.WebhookFormat;

/** Renders the body a receiver gets for one event, in the subscription's format. */
public final class WebhookMessages {

    private WebhookMessages() {
    }

    /** The body to POST: Switchback's JSON or a Slack message. */
    public static String render(WebhookFormat format, WebhookEvent kind, CloudEvent<SwitchbackEvent> event) {
        return switch (format) {
            case JSON -> json(kind, event);
            case SLACK -> slack(kind, event);
        };
    }

    /** One line saying what happened, as a person reads it. */
    public static String summary(CloudEvent<SwitchbackEvent> event) {
        ReleaseRef release = event.data().release();
        String what = release.service() + " " + release.version();
        String where = " in " + release.environment();
        SwitchbackEvent data = event.data();
        if (data instanceof ReleaseFailed failed) {
            return what + " failed" + where + " (" + failed.stage() + "): " + failed.reason();
        } else if (data instanceof ReleaseRolledBack rolledBack) {
            return what + " was rolled back" + where
                    + (rolledBack.restoredVersion() == null ? "" : "; " + rolledBack.restoredVersion() + " serves again");
        } else if (data instanceof ApprovalRequested approval) {
            return what + " awaits approval" + where + ": " + approval.reason()
                    + " (requested by " + approval.requestedBy() + ", expires " + approval.expiresAt() + ")";
        } else if (data instanceof ReleaseLive live) {
            return what + " is live" + where + " at " + live.endpoint();
        } else if (data instanceof ReleasePromoted promoted) {
            return what + " was promoted" + where + ": " + promoted.reason();
        }
        return what + ": " + event.type();
    }

    private static String json(WebhookEvent kind, CloudEvent<SwitchbackEvent> event) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.put("kind", kind.wire());
        body.put("summary", summary(event));
        body.set("release", EventCodec.mapper().valueToTree(event.data().release()));
        body.set("event", readTree(EventCodec.encode(event)));
        return body.toString();
    }

    private static String slack(WebhookEvent kind, CloudEvent<SwitchbackEvent> event) {
        String summary = summary(event);
        ReleaseRef release = event.data().release();
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.put("text", summary);
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", icon(kind) + " *" + escape(summary) + "*");
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", escape("release " + release.id() + " · " + kind.wire() + " · " + event.time()));
        return body.toString();
    }

    private static String icon(WebhookEvent kind) {
        return switch (kind) {
            case FAILED -> ":x:";
            case ROLLED_BACK -> ":leftwards_arrow_with_hook:";
            case AWAITING_APPROVAL -> ":hourglass:";
            case LIVE -> ":large_blue_circle:";
            case PROMOTED -> ":white_check_mark:";
        };
    }

    /** Slack's mrkdwn reads &, < and > as markup; a reason or a version must show as written. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static JsonNode readTree(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an encoded event does not read back", e);
        }
    }
}
