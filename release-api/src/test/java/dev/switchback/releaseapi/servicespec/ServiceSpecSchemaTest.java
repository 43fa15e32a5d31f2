package dev.switchback.releaseapi.servicespec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.switchback.events.EventCodec;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service spec's JSON Schema ({@code src/main/resources/schemas/service-spec.json}) is generated from the body
 * release-api reads, {@link ServiceSpecBody}, with its Bean Validation bounds and patterns, plus what the drivers check
 * themselves (the kubernetes router's settings); a stale committed schema fails (regenerate with
 * {@code -Dswitchback.schemas.write=true}). The README's specs validate against it, and specs the API refuses do not.
 */
class ServiceSpecSchemaTest {

    private static final Path SCHEMA = Path.of("src/main/resources/schemas/service-spec.json");
    private static final Path README = Path.of("../README.md");
    /** ROUTER_KEYS: the kubernetes router's settings (the switcher's RouteSettings refuses any other key). */
    private static final List<String> ROUTER_KEYS = List.of("namespace", "service", "mode", "gateway", "gatewayNamespace",
            "hostnames");

    @Test
    void shouldKeepTheCommittedSchemaInStepWithTheSpecBody() throws IOException {
        String generated = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(generate()) + "\n";
        if (Boolean.getBoolean("switchback.schemas.write")) {
            Files.writeString(SCHEMA, generated);
        }
        assertThat(SCHEMA).exists();
        assertThat(Files.readString(SCHEMA)).as("the service spec's schema differs from ServiceSpecBody: regenerate with"
                + " -Dswitchback.schemas.write=true").isEqualTo(generated);
    }

    @Test
    void shouldAcceptEverySpecTheReadmeShows() throws IOException {
        List<String> specs = readmeSpecs();

        assertThat(specs).as("the README's registration example and its kubernetes example").hasSize(2);
        for (String spec : specs) {
            assertThat(schema().validate(EventCodec.mapper().readTree(spec))).as(spec).isEmpty();
        }
    }

    @Test
    void shouldAcceptTheDemoAppsSpec() throws IOException {
        String spec = Files.readString(Path.of("../deploy/demo/spec.json"));

        assertThat(schema().validate(EventCodec.mapper().readTree(spec))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"runtime\": {\"driver\": \"docker\"}, \"router\": {\"port\": 9000}}",
            "{\"runtime\": {\"driver\": \"process\", \"command\": [\"java\"]}, \"router\": {\"driver\": \"istio\", \"port\": 9000}}",
            "{\"runtime\": {\"driver\": \"process\", \"command\": [\"java\"]}, \"router\": {\"port\": 0}}",
            "{\"runtime\": {\"driver\": \"kubernetes\"}, \"router\": {\"port\": 9000}}",
            "{\"runtime\": {\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"Team_A\", \"image\": \"app:{version}\"}},"
                    + " \"router\": {\"port\": 9000}}",
            "{\"runtime\": {\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:latest\"}},"
                    + " \"router\": {\"port\": 9000}}",
            "{\"runtime\": {\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\"}},"
                    + " \"router\": {\"driver\": \"kubernetes\", \"port\": 80}}",
            "{\"runtime\": {\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\"}},"
                    + " \"router\": {\"driver\": \"kubernetes\", \"port\": 80, \"settings\": {\"namespace\": \"team-a\", \"weight\": \"5\"}}}",
            "{\"runtime\": {\"driver\": \"process\", \"command\": [\"java\"]}, \"router\": {\"port\": 9000},"
                    + " \"rollout\": {\"analysis\": {\"maxErrorRate\": 2}}}",
            "{\"runtime\": {\"driver\": \"process\", \"command\": [\"java\"]},"
                    + " \"router\": {\"driver\": \"kubernetes\", \"port\": 80, \"settings\": {\"namespace\": \"team-a\"}}}"})
    void shouldRefuseSpecsTheApiRefuses(String spec) throws IOException {
        assertThat(schema().validate(EventCodec.mapper().readTree(spec))).isNotEmpty();
    }

    /** The registration example (the JSON after {@code -d '}) and the Kubernetes section's runtime with its router. */
    private static List<String> readmeSpecs() throws IOException {
        String readme = Files.readString(README);
        List<String> specs = new ArrayList<>();
        Matcher registration = java.util.regex.Pattern.compile("curl -XPUT [^\\n]*-d '(\\{.*?\\})'", java.util.regex.Pattern.DOTALL)
                .matcher(readme);
        if (registration.find()) {
            specs.add(registration.group(1));
        }
        Matcher runtime = java.util.regex.Pattern.compile("```json\\n(\"runtime\": \\{\"driver\": \"kubernetes\".*?)\\n```",
                java.util.regex.Pattern.DOTALL).matcher(readme);
        Matcher router = java.util.regex.Pattern.compile("`(\"router\": \\{\"driver\": \"kubernetes\".*?\\}\\})`",
                java.util.regex.Pattern.DOTALL).matcher(readme);
        if (runtime.find() && router.find()) {
            specs.add("{" + runtime.group(1) + ", " + router.group(1) + "}");
        }
        return specs;
    }

    private static JsonSchema schema() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(SCHEMA));
    }

    static ObjectNode generate() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON).with(Option.DEFINITIONS_FOR_ALL_OBJECTS);
        config.forFields().withRequiredCheck(field -> annotation(field, NotNull.class) != null
                || annotation(field, NotBlank.class) != null);
        config.forFields().withStringPatternResolver(field -> {
            Pattern pattern = annotation(field, Pattern.class);
            // Bean Validation matches the whole value; JSON Schema finds the pattern anywhere unless anchored.
            return pattern == null ? null : "^(?:" + pattern.regexp().replace("\\p{Cntrl}", "\\x00-\\x1F\\x7F") + ")$";
        });
        config.forFields().withStringMinLengthResolver(field -> annotation(field, NotBlank.class) != null ? 1 : null);
        config.forFields().withStringMaxLengthResolver(field -> {
            Size size = annotation(field, Size.class);
            return size == null || !field.getType().isInstanceOf(String.class) ? null : size.max();
        });
        config.forFields().withArrayMaxItemsResolver(field -> {
            Size size = annotation(field, Size.class);
            return size == null || !field.getType().isInstanceOf(java.util.Collection.class) ? null : size.max();
        });
        config.forFields().withNumberInclusiveMinimumResolver(field -> {
            Min min = annotation(field, Min.class);
            DecimalMin decimal = annotation(field, DecimalMin.class);
            return min != null ? BigDecimal.valueOf(min.value()) : decimal != null ? new BigDecimal(decimal.value()) : null;
        });
        config.forFields().withNumberInclusiveMaximumResolver(field -> {
            Max max = annotation(field, Max.class);
            DecimalMax decimal = annotation(field, DecimalMax.class);
            return max != null ? BigDecimal.valueOf(max.value()) : decimal != null ? new BigDecimal(decimal.value()) : null;
        });
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(ServiceSpecBody.class);
        schema.put("$id", "urn:switchback:schema:service-spec:1");
        schema.put("title", "service spec");
        schema.put("description", "PUT /services/{service}/environments/{environment}: how to run, route and migrate"
                + " one service in one environment");
        driverRules(schema);
        return schema;
    }

    /** What each driver needs beside what Bean Validation says on a field: the checks across fields, as if/then. */
    private static void driverRules(ObjectNode schema) {
        ObjectNode defs = (ObjectNode) schema.get("$defs");
        ObjectNode runtime = (ObjectNode) defs.get("Runtime");
        runtime.putArray("allOf")
                .add(when("driver", "kubernetes", "{\"required\": [\"kubernetes\"], \"not\": {\"required\": [\"command\"]}}"))
                .add(unless("driver", "kubernetes", "{\"required\": [\"command\"], \"not\": {\"required\": [\"kubernetes\"]}}"));
        ObjectNode router = (ObjectNode) defs.get("Router");
        String keys = String.join("\", \"", ROUTER_KEYS);
        router.putArray("allOf")
                .add(when("driver", "kubernetes", ("{\"required\": [\"settings\"], \"properties\": {\"settings\": {"
                        + "\"required\": [\"namespace\"], \"propertyNames\": {\"enum\": [\"%s\"]},"
                        + " \"properties\": {\"mode\": {\"enum\": [\"service\", \"gateway\"]}}}}}").formatted(keys)))
                .add(unless("driver", "kubernetes", "{\"properties\": {\"port\": {\"minimum\": 1024}}}"));
        try {
            // The kubernetes router switches the Services of the kubernetes runtime's instances only.
            schema.putArray("allOf").add(EventCodec.mapper().readTree("{\"if\": {\"required\": [\"router\"], \"properties\":"
                    + " {\"router\": " + test("driver", "kubernetes") + "}}, \"then\": {\"properties\": {\"runtime\": "
                    + test("driver", "kubernetes") + "}}}"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String test(String field, String value) {
        return "{\"required\": [\"" + field + "\"], \"properties\": {\"" + field + "\": {\"const\": \"" + value + "\"}}}";
    }

    private static JsonNode when(String field, String value, String then) {
        return condition(field, value, then, false);
    }

    private static JsonNode unless(String field, String value, String then) {
        return condition(field, value, then, true);
    }

    private static JsonNode condition(String field, String value, String then, boolean negated) {
        String test = test(field, value);
        try {
            return EventCodec.mapper().readTree("{\"if\": " + (negated ? "{\"not\": " + test + "}" : test)
                    + ", \"then\": " + then + "}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(FieldScope field, Class<A> type) {
        return field.getAnnotationConsideringFieldAndGetter(type);
    }
}
