package dev.switchback.switcher.metrics.prometheus;

import dev.switchback.switcher.metrics.MetricsQuery;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a query template's {@code {{name}}} placeholders with the measured color's values. Values are escaped for a
 * PromQL double-quoted string, so a value can never end the string and add matchers of its own; a placeholder that
 * is not one of the known names is refused rather than left in the query.
 */
public final class PromQl {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private PromQl() {
    }

    /** The three queries of one color, filled. */
    public record Queries(String requests, String errors, String latencyBuckets) {
    }

    /** The color's three queries from the release's templates. */
    public static Queries of(MetricsQuery query) {
        Map<String, String> values = Map.of("service", query.service(), "environment", query.environment(),
                "release", query.releaseId() == null ? "" : query.releaseId(),
                "version", query.version() == null ? "" : query.version(), "color", query.color());
        String selector = fill(query.metrics().selectorOrDefault(), values, null);
        return new Queries(fill(query.metrics().requestsOrDefault(), values, selector),
                fill(query.metrics().errorsOrDefault(), values, selector),
                fill(query.metrics().latencyBucketsOrDefault(), values, selector));
    }

    /**
     * The template with its placeholders replaced.
     *
     * @param selector the filled selector, or null when filling the selector itself (it cannot contain itself)
     * @throws IllegalArgumentException for an unknown placeholder
     */
    static String fill(String template, Map<String, String> values, String selector) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value;
            if ("selector".equals(name) && selector != null) {
                value = selector;
            } else if (values.containsKey(name)) {
                value = escape(values.get(name));
            } else {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}} in " + template);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Escapes a value for the inside of a PromQL double-quoted string (Go's escapes: backslash, quote, newline). */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
