package dev.switchback.switcher.metrics;

import dev.switchback.events.MetricsSpec;

/**
 * What analysis asks a metrics source about: one color of one route, and who that color is, so a source that does
 * not see the router's traffic (Prometheus) can find its series.
 *
 * @param route       the route's name, {@code <service>.<environment>}
 * @param driver      the route's router driver
 * @param endpoint    the endpoint (the color's address) measured
 * @param service     the service
 * @param environment the environment
 * @param color       {@code green} or {@code blue}
 * @param releaseId   the release that started the measured color
 * @param version     the measured color's version
 * @param metrics     the release's metrics settings
 */
public record MetricsQuery(String route, String driver, String endpoint, String service, String environment,
                           String color, String releaseId, String version, MetricsSpec metrics) {

    /** GREEN: the new version. */
    public static final String GREEN = "green";
    /** BLUE: the version serving before the release. */
    public static final String BLUE = "blue";
}
