package dev.switchback.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.OffsetDateTime;

/**
 * Writes and reads events as CloudEvents structured JSON. Unknown payload fields are ignored, so a consumer
 * built against schema version N reads events of any later, additive version.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {
    }

    /** The mapper the contract is written with; shared so every service writes the same JSON. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes any contract record (a spec, a payload) as JSON, the way events carry it. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads JSON written by {@link #toJson}. */
    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    public static String encode(CloudEvent<? extends SwitchbackEvent> event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode event " + event.type(), e);
        }
    }

    /**
     * Reads an envelope and its typed payload.
     *
     * @throws MalformedEventException when the JSON, the envelope or the payload does not follow the contract
     */
    public static CloudEvent<SwitchbackEvent> decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty message");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        String specversion = text(root, "specversion");
        if (!CloudEvent.SPEC_VERSION.equals(specversion)) {
            throw new MalformedEventException("unsupported specversion: " + specversion);
        }
        String id = required(root, "id");
        String source = required(root, "source");
        String typeName = required(root, "type");
        EventType type = EventType.ofType(typeName)
                .orElseThrow(() -> new MalformedEventException("unknown event type: " + typeName));
        JsonNode dataNode = root.get("data");
        if (dataNode == null || !dataNode.isObject()) {
            throw new MalformedEventException("missing data object in " + typeName);
        }
        SwitchbackEvent data;
        try {
            data = MAPPER.treeToValue(dataNode, type.payloadClass());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("data does not match " + typeName + ": " + e.getMessage(), e);
        }
        ReleaseRef release = data.release();
        if (release == null || release.service() == null || release.environment() == null) {
            throw new MalformedEventException("data of " + typeName + " names no release service and environment");
        }
        OffsetDateTime time;
        try {
            time = root.hasNonNull("time") ? OffsetDateTime.parse(root.get("time").asText()) : null;
        } catch (RuntimeException e) {
            throw new MalformedEventException("bad time: " + root.get("time").asText(), e);
        }
        return new CloudEvent<>(specversion, id, source, typeName, text(root, "subject"), time,
                text(root, "datacontenttype"), text(root, "dataschema"), data);
    }

    private static String required(JsonNode root, String field) {
        String value = text(root, field);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("missing CloudEvents attribute: " + field);
        }
        return value;
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
