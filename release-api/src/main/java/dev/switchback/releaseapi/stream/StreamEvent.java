package dev.switchback.releaseapi.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.EventCodec;
import dev.switchback.releaseapi.release.rest.ReleaseView;

import java.util.UUID;

/**
 * One event of the live stream: a pipeline event as it was published, with the release's status after release-api
 * projected it.
 *
 * @param id          the CloudEvents id of the event: the SSE id, unique across replicas
 * @param type        the CloudEvents type, e.g. {@code dev.switchback.traffic.cutover-completed}: the SSE event name
 * @param releaseId   the release it is about; null when the event names none this API knows
 * @param service     the service it is about
 * @param environment the environment
 * @param time        when it happened, as published
 * @param release     the release's status after the change; null when the release is unknown here
 * @param step        the step of the release's history this event became; null before or without a projection
 * @param projected   whether release-api had projected the event when the status was read
 * @param data        the event's payload, as published
 */
public record StreamEvent(String id, String type, UUID releaseId, String service, String environment, String time,
                          ReleaseStatus release, ReleaseView.Step step, boolean projected, JsonNode data) {

    /** The SSE data line: this record as JSON. */
    public String json() {
        return EventCodec.toJson(this);
    }
}
