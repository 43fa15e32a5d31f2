package dev.switchback.events;

import java.util.Map;

/**
 * What sends users' requests to a color.
 *
 * @param driver   router driver: {@code embedded} (default), {@code nginx}
 * @param port     port users call; the router forwards to the live color
 * @param settings the driver's own settings of the route (a Service's namespace, a listener's name); null means none
 */
public record RouterSpec(String driver, int port, Map<String, String> settings) {

    /** A route with no driver settings. */
    public RouterSpec(String driver, int port) {
        this(driver, port, null);
    }

    /** The driver settings, empty when none were given. */
    public Map<String, String> settingsOrEmpty() {
        return settings == null ? Map.of() : settings;
    }
}
