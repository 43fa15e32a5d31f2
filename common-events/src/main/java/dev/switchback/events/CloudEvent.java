package dev.switchback.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The envelope of every event on Kafka: a CloudEvents 1.0 message in structured JSON mode, so the whole event,
 * attributes and data, is the record value and reads as plain JSON in {@code kafka-console-consumer}.
 *
 * @param specversion     specversion: always {@code 1.0}
 * @param id              id: unique per event; consumers de-duplicate on it
 * @param source          source: the service that published it, e.g. {@code /switchback/release-api}
 * @param type            type: e.g. {@code dev.switchback.release.requested}
 * @param subject         subject: {@code service/environment}, the same as the Kafka key
 * @param time            time: when the fact happened
 * @param datacontenttype datacontenttype: always {@code application/json}
 * @param dataschema      dataschema: names the payload's JSON Schema and its version
 * @param data            data: the typed payload
 * @param <T>             payload type
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent<T>(String specversion, String id, String source, String type, String subject,
                            OffsetDateTime time, String datacontenttype, String dataschema, T data) {

    /** SPEC_VERSION: the CloudEvents version the envelope follows. */
    public static final String SPEC_VERSION = "1.0";
    /** CONTENT_TYPE: the Kafka {@code content-type} header of structured-mode messages. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    /** Wraps a payload in a new envelope with a fresh id. */
    public static <T extends SwitchbackEvent> CloudEvent<T> of(String source, T data, OffsetDateTime time) {
        EventType type = EventType.of(data);
        return new CloudEvent<>(SPEC_VERSION, UUID.randomUUID().toString(), source, type.type(),
                data.release().key(), time, "application/json", type.dataschema(), data);
    }
}
