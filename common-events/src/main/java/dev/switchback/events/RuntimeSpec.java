package dev.switchback.events;

import java.util.List;
import java.util.Map;

/**
 * How the deployer starts an instance of a service.
 *
 * @param driver  runtime driver: {@code process} (default)
 * @param command argv template; {@code {artifact}}, {@code {version}} and {@code {port}} are replaced; never run through a shell
 * @param env     extra environment of the instance; {@code PORT} and {@code SERVICE_VERSION} are always set
 */
public record RuntimeSpec(String driver, List<String> command, Map<String, String> env) {
}
