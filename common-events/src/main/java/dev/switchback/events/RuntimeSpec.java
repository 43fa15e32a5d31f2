package dev.switchback.events;

import java.util.List;
import java.util.Map;

/**
 * How the deployer starts an instance of a service.
 *
 * @param driver      runtime driver: {@code process} (default) or {@code kubernetes}
 * @param command     argv template; {@code {artifact}}, {@code {version}} and {@code {port}} are replaced; never run through a shell
 * @param env         extra environment of the instance; {@code PORT} and {@code SERVICE_VERSION} are always set
 * @param databaseEnv which keys of {@code env} hold the parts of a database address the instance assembles itself:
 *                    {@code host}, {@code port}, {@code name}, {@code user}, {@code password} (e.g.
 *                    {@code {"host": "DB_HOST", "name": "DB_NAME"}}); the fence checks that address like any URL
 *                    in {@code env}; null or empty for none
 * @param kubernetes  the {@code kubernetes} driver's settings (namespace, image, replicas, …); null for other drivers
 */
public record RuntimeSpec(String driver, List<String> command, Map<String, String> env, Map<String, String> databaseEnv,
                          KubernetesSettings kubernetes) {

    /** A runtime of a driver with no settings of its own (the {@code process} driver). */
    public RuntimeSpec(String driver, List<String> command, Map<String, String> env, Map<String, String> databaseEnv) {
        this(driver, command, env, databaseEnv, null);
    }

    /** A runtime whose database addresses, if any, are whole URLs in its env or command. */
    public RuntimeSpec(String driver, List<String> command, Map<String, String> env) {
        this(driver, command, env, null);
    }

    /** The env, empty when none was given. */
    public Map<String, String> envOrEmpty() {
        return env == null ? Map.of() : env;
    }

    /** The command, empty when none was given. */
    public List<String> commandOrEmpty() {
        return command == null ? List.of() : command;
    }

    /** The database settings, empty when none were given. */
    public Map<String, String> databaseEnvOrEmpty() {
        return databaseEnv == null ? Map.of() : databaseEnv;
    }
}
