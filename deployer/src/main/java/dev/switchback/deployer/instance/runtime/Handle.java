package dev.switchback.deployer.instance.runtime;

import java.net.URI;
import java.util.Map;

/**
 * What a runtime driver returns for an instance it started, and the only way the deployer addresses it afterwards.
 *
 * @param instanceId id of the instance
 * @param endpoint   where it answers, e.g. {@code http://127.0.0.1:40123}: what routers and health checks call
 * @param data       the driver's own data, opaque to the deployer (a pid and a port, a Deployment's name)
 */
public record Handle(String instanceId, URI endpoint, Map<String, String> data) {

    public Handle {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    /** One entry of the driver's data; null when the driver did not record it. */
    public String get(String key) {
        return data.get(key);
    }
}
