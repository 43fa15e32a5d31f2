package dev.switchback.deployer.instance.runtime;

import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RuntimeSpec;

/**
 * What a runtime driver needs to start an instance (or start it again after it was lost).
 *
 * @param instanceId id the instance gets
 * @param version    version it runs
 * @param artifact   what it runs, e.g. a jar
 * @param runtime    driver, command and environment from the service spec
 * @param healthPath the path its readiness is checked on
 */
public record Launch(String instanceId, String version, String artifact, RuntimeSpec runtime, String healthPath) {

    public static Launch of(String instanceId, String version, ReleaseSpec spec) {
        return new Launch(instanceId, version, spec.artifact(), spec.runtime(), spec.health().path());
    }
}
