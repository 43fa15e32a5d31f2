package dev.switchback.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the hand-written JSON escaper and parser on the inputs that usually break them. */
class JsonTest {

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(Json.quote("a\"b\\c\nd\te\u0001f/é"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f/é\"");
    }

    @Test
    void shouldRenderNullAsLiteral() {
        assertThat(Json.quote(null)).isEqualTo("null");
    }

    @Test
    void shouldReadBackWhatItEscapes() {
        String text = "quote \" backslash \\ newline \n tab \t bell \u0007 emoji \ud83d\ude00";

        assertThat(Json.parse(Json.quote(text))).isEqualTo(text);
    }

    @Test
    void shouldParseObjectWithEveryKindOfValue() {
        Object parsed = Json.parse(" {\"body\":\"x\\u00e9\\n\\ud83d\\ude00\",\"n\":-1.5e2,\"ok\":true,"
                + "\"none\":null,\"list\":[1,{}]} ");

        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> object = (Map<?, ?>) parsed;
        assertThat(object.get("body")).isEqualTo("xé\n\ud83d\ude00");
        assertThat(object.get("n")).isEqualTo(new BigDecimal("-1.5e2"));
        assertThat(object.get("ok")).isEqualTo(true);
        assertThat(object.containsKey("none")).isTrue();
        assertThat(object.get("none")).isNull();
        assertThat(object.get("list")).isEqualTo(List.of(new BigDecimal("1"), Map.of()));
    }

    @Test
    void shouldRejectMalformedDocuments() {
        for (String malformed : List.of("", "{", "{\"body\"}", "{\"body\":\"x\"} extra", "[1,]",
                "\"unterminated", "+1", ".5", "tru", "\"bad \\q escape\"", "[".repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> Json.parse(malformed))
                    .as("parsing %s", malformed)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
