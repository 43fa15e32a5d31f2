package dev.switchback.sample;

import java.util.Map;

/**
 * Settings of one sample-app instance, read from environment variables only.
 *
 * @param bindAddress BIND_ADDRESS, the interface to listen on; 127.0.0.1 unless set
 * @param port        PORT, required; 0 picks a free port (tests use that)
 * @param version     SERVICE_VERSION, required; its tag may switch on a failure mode
 * @param dbUrl       DB_URL, a JDBC url; null when the app runs without a database
 * @param dbUser      DB_USER; null leaves the user to the url
 * @param dbPassword  DB_PASSWORD; null leaves the password to the url
 */
record SampleConfig(String bindAddress, int port, String version, String dbUrl, String dbUser,
        String dbPassword) {

    /** DEFAULT_BIND_ADDRESS keeps a demo instance off the network unless asked otherwise. */
    static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /**
     * Reads the settings from an environment map; blank values count as unset.
     *
     * @throws IllegalArgumentException when a required setting is missing or malformed
     */
    static SampleConfig fromEnv(Map<String, String> env) {
        String version = required(env, "SERVICE_VERSION");
        String portText = required(env, "PORT");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number, got '" + portText + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + port);
        }
        String bindAddress = optional(env, "BIND_ADDRESS");
        return new SampleConfig(
                bindAddress == null ? DEFAULT_BIND_ADDRESS : bindAddress,
                port,
                version,
                optional(env, "DB_URL"),
                optional(env, "DB_USER"),
                optional(env, "DB_PASSWORD"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = optional(env, name);
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }

    private static String optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
