package dev.switchback.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins the event contract: every type round-trips through JSON, validates against its committed JSON Schema,
 * and the committed schemas match the records (regenerate with {@code -Dswitchback.schemas.write=true}).
 */
class EventContractTest {

    private static final OffsetDateTime SAMPLE_TIME = OffsetDateTime.of(2026, 11, 26, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final ReleaseRef SAMPLE_RELEASE = new ReleaseRef("8d2c7b8e-1f7e-4a51-9a43-2c3d1c0ddc10",
            "sample-app", "local", "1.1.0");
    private static final ReleaseSpec SAMPLE_SPEC = new ReleaseSpec("sample-app/target/sample-app.jar",
            new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of("DB_URL", "jdbc:postgresql://127.0.0.1/sample_app")),
            new RouterSpec("embedded", 9000, Map.of("namespace", "shop")), new HealthSpec("/health", 30),
            new DatabaseSpec("jdbc:postgresql://127.0.0.1:5432/sample_app", "postgres", null),
            List.of(new Migration("2", "add note author", "ALTER TABLE notes ADD COLUMN author text")));
    private static final Path SCHEMA_DIR = Path.of("src/main/resources/schemas");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldRoundTripEveryTypeThroughJson(EventType type) {
        SwitchbackEvent payload = sample(type.payloadClass());
        CloudEvent<SwitchbackEvent> event = CloudEvent.of("/switchback/test", payload, SAMPLE_TIME);

        CloudEvent<SwitchbackEvent> read = EventCodec.decode(EventCodec.encode(event));

        assertThat(read).isEqualTo(event);
        assertThat(read.type()).isEqualTo(type.type());
        assertThat(read.subject()).isEqualTo("sample-app/local");
        assertThat(read.dataschema()).endsWith(":" + type.schemaVersion());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldValidateEveryTypeAgainstItsCommittedSchema(EventType type) throws IOException {
        JsonNode json = EventCodec.mapper().readTree(
                EventCodec.encode(CloudEvent.of("/switchback/test", sample(type.payloadClass()), SAMPLE_TIME)));

        assertThat(schema("schemas/cloudevent.json").validate(json)).isEmpty();
        Set<ValidationMessage> errors = schema(type.schemaResource()).validate(json.get("data"));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldKeepCommittedSchemasInStepWithTheRecords(EventType type) throws IOException {
        String generated = EventCodec.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(generateSchema(type)) + "\n";
        Path file = SCHEMA_DIR.resolve(type.schemaResource().substring("schemas/".length()));
        if (Boolean.getBoolean("switchback.schemas.write")) {
            Files.writeString(file, generated);
        }
        assertThat(file).exists();
        assertThat(Files.readString(file))
                .as("schema of %s differs from its record: regenerate with -Dswitchback.schemas.write=true,"
                        + " and only ever add optional fields", type)
                .isEqualTo(generated);
    }

    @Test
    void shouldRefuseAPayloadMissingItsRelease() {
        JsonNode json = EventCodec.mapper().valueToTree(
                CloudEvent.of("/switchback/test", sample(ReleaseLive.class), SAMPLE_TIME));
        ((ObjectNode) json.get("data")).remove("release");

        assertThat(schema(EventType.RELEASE_LIVE.schemaResource()).validate(json.get("data"))).isNotEmpty();
        assertThatThrownBy(() -> EventCodec.decode(json.toString()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("names no release");
    }

    @Test
    void shouldRefuseUnknownTypesAndGarbage() {
        JsonNode json = EventCodec.mapper().valueToTree(
                CloudEvent.of("/switchback/test", sample(ReleaseLive.class), SAMPLE_TIME));
        ((ObjectNode) json).put("type", "dev.switchback.release.exploded");

        assertThatThrownBy(() -> EventCodec.decode(json.toString()))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> EventCodec.decode("{not json"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EventCodec.decode("[]"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void shouldReadEventsWithFieldsAddedByALaterVersion() {
        ObjectNode json = EventCodec.mapper().valueToTree(
                CloudEvent.of("/switchback/test", sample(ReleaseLive.class), SAMPLE_TIME));
        ((ObjectNode) json.get("data")).put("addedLater", "ignored by older consumers");

        assertThat(EventCodec.decode(json.toString()).data()).isEqualTo(sample(ReleaseLive.class));
    }

    @Test
    void shouldDocumentEveryTypeAndTopicInTheAsyncApiFile() throws IOException {
        String asyncapi = Files.readString(Path.of("asyncapi.yaml"));
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(asyncapi);

        assertThat(doc.get("asyncapi")).asString().startsWith("3.");
        for (EventType type : EventType.values()) {
            assertThat(asyncapi).as("asyncapi.yaml documents %s", type).contains(type.type());
        }
        for (String topic : Topics.ALL) {
            assertThat(asyncapi).as("asyncapi.yaml documents topic %s", topic).contains("address: " + topic);
        }
    }

    static ObjectNode generateSchema(EventType type) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS);
        // The release is what every consumer keys on: it is the one field every payload must carry.
        // The release is what every consumer keys on: every payload carries it, whole; other fields may be null.
        java.util.function.Predicate<com.github.victools.jsonschema.generator.FieldScope> required = field ->
                field.getName().equals("release") || field.getDeclaringType().getErasedType() == ReleaseRef.class;
        config.forFields().withRequiredCheck(required::test);
        config.forFields().withNullableCheck(field -> !required.test(field) && !field.getType().isPrimitive());
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(type.payloadClass());
        schema.put("$id", type.dataschema());
        schema.put("title", type.payloadClass().getSimpleName());
        return schema;
    }

    private static JsonSchema schema(String resource) {
        try (InputStream in = EventContractTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("schema resource %s", resource).isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a sample of any contract record, so a new event type is covered without touching this test. */
    @SuppressWarnings("unchecked")
    static <T> T sample(Class<T> type) {
        if (type == ReleaseRef.class) {
            return (T) SAMPLE_RELEASE;
        }
        if (type == ReleaseSpec.class) {
            return (T) SAMPLE_SPEC;
        }
        try {
            RecordComponent[] components = type.getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = sampleValue(components[i].getName(), components[i].getGenericType());
            }
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a sample " + type, e);
        }
    }

    private static Object sampleValue(String name, Type type) {
        if (type == String.class) {
            return "sample " + name;
        }
        if (type == int.class || type == Integer.class) {
            return 9000;
        }
        if (type == boolean.class || type == Boolean.class) {
            return true;
        }
        if (type == double.class || type == Double.class) {
            return 0.5;
        }
        if (type == long.class || type == Long.class) {
            return 1234L;
        }
        if (type == java.time.Instant.class) {
            return java.time.Instant.parse("2026-01-01T12:00:00Z");
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            Type element = list.getActualTypeArguments()[0];
            return element == String.class ? List.of("1", "2") : List.of(sampleValue(name, element));
        }
        return sample((Class<?>) type);
    }
}
