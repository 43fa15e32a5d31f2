package dev.switchback.events;

/**
 * Where analysis reads what a color did. {@code router} (the default) counts what the route's router forwards;
 * {@code prometheus} asks the switcher's Prometheus with PromQL. The three queries each return counter series
 * (cumulative, one per instance and label set); analysis takes their increases between readings, so a restarted
 * instance's reset or a removed pod loses nothing already counted. Queries are templates: {@code {{selector}}},
 * {@code {{service}}}, {@code {{environment}}}, {@code {{release}}}, {@code {{version}}} and {@code {{color}}} are
 * replaced by the measured color's values, quoted for a PromQL string. A missing query uses the default for the
 * metric names Micrometer gives HTTP servers ({@code http_server_requests_seconds_count|bucket}, label
 * {@code status}).
 *
 * @param source         {@code router} or {@code prometheus}
 * @param selector       PromQL label matchers that pick the measured color's series, without braces; default
 *                       {@link #DEFAULT_SELECTOR}
 * @param requests       query for the requests counters; default {@link #DEFAULT_REQUESTS}
 * @param errors         query for the failed requests counters; default {@link #DEFAULT_ERRORS}
 * @param latencyBuckets query for the latency histogram's bucket counters, each series with an {@code le} label in
 *                       seconds; default {@link #DEFAULT_LATENCY_BUCKETS}
 */
public record MetricsSpec(String source, String selector, String requests, String errors, String latencyBuckets) {

    /** ROUTER: the router's own counters. */
    public static final String ROUTER_SOURCE = "router";
    /** PROMETHEUS: PromQL queries against the switcher's Prometheus. */
    public static final String PROMETHEUS_SOURCE = "prometheus";
    /** The router's counters, what a spec without metrics gets. */
    public static final MetricsSpec ROUTER = new MetricsSpec(ROUTER_SOURCE, null, null, null, null);

    /** DEFAULT_SELECTOR: the labels a scrape gives each instance: service, environment and release id. */
    public static final String DEFAULT_SELECTOR =
            "service=\"{{service}}\",environment=\"{{environment}}\",release=\"{{release}}\"";
    /** DEFAULT_REQUESTS: every answered request. */
    public static final String DEFAULT_REQUESTS = "http_server_requests_seconds_count{ {{selector}} }";
    /** DEFAULT_ERRORS: requests answered 5xx. */
    public static final String DEFAULT_ERRORS = "http_server_requests_seconds_count{ {{selector}},status=~\"5..\" }";
    /** DEFAULT_LATENCY_BUCKETS: the request duration histogram. */
    public static final String DEFAULT_LATENCY_BUCKETS = "http_server_requests_seconds_bucket{ {{selector}} }";

    /** Whether the numbers come from Prometheus. */
    public boolean prometheus() {
        return PROMETHEUS_SOURCE.equals(source);
    }

    /** The selector template, or the default. */
    public String selectorOrDefault() {
        return blank(selector) ? DEFAULT_SELECTOR : selector;
    }

    /** The requests query template, or the default. */
    public String requestsOrDefault() {
        return blank(requests) ? DEFAULT_REQUESTS : requests;
    }

    /** The errors query template, or the default. */
    public String errorsOrDefault() {
        return blank(errors) ? DEFAULT_ERRORS : errors;
    }

    /** The latency buckets query template, or the default. */
    public String latencyBucketsOrDefault() {
        return blank(latencyBuckets) ? DEFAULT_LATENCY_BUCKETS : latencyBuckets;
    }

    /** PLACEHOLDERS: the names a query template may use, each as {@code {{name}}}. */
    public static final java.util.Set<String> PLACEHOLDERS =
            java.util.Set.of("selector", "service", "environment", "release", "version", "color");
    /** MAX_TEMPLATE_LENGTH: the longest selector or query template accepted. */
    public static final int MAX_TEMPLATE_LENGTH = 2000;
    private static final java.util.regex.Pattern PLACEHOLDER =
            java.util.regex.Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    /**
     * What is wrong with these settings, empty when nothing is: an unknown source, a template too long, with control
     * characters, an unknown placeholder, or a selector that names itself. PromQL itself is judged by Prometheus: a
     * query it refuses gives no data, which is never a pass.
     */
    public java.util.List<String> problems() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (source != null && !ROUTER_SOURCE.equals(source) && !PROMETHEUS_SOURCE.equals(source)) {
            problems.add("metrics source '" + source + "' is not one of router, prometheus");
        }
        if (!prometheus() && (selector != null || requests != null || errors != null || latencyBuckets != null)) {
            problems.add("selector and queries are settings of the prometheus source only");
        }
        java.util.Map<String, String> templates = new java.util.LinkedHashMap<>();
        templates.put("selector", selector);
        templates.put("requests", requests);
        templates.put("errors", errors);
        templates.put("latencyBuckets", latencyBuckets);
        templates.forEach((name, template) -> {
            if (template == null) {
                return;
            }
            if (template.isBlank() || template.length() > MAX_TEMPLATE_LENGTH) {
                problems.add(name + " must be 1 to " + MAX_TEMPLATE_LENGTH + " characters");
            }
            if (template.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                problems.add(name + " contains control characters");
            }
            java.util.regex.Matcher matcher = PLACEHOLDER.matcher(template);
            while (matcher.find()) {
                String placeholder = matcher.group(1);
                if (!PLACEHOLDERS.contains(placeholder) || ("selector".equals(name) && "selector".equals(placeholder))) {
                    problems.add(name + " uses the unknown placeholder {{" + placeholder + "}}; known: "
                            + new java.util.TreeSet<>(PLACEHOLDERS));
                }
            }
        });
        return problems;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
