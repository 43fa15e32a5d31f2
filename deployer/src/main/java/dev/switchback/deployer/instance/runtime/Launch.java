package dev.switchback.deployer.instance.runtime;

import dev.switchback.events.ReleaseRef;
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
 * @param release    the release it runs for: service, environment and id, which a cluster's objects are labelled
 *                   with; null for an instance of no release's own (a copy proving a contract change)
 */
public record Launch(String instanceId, String version, String artifact, RuntimeSpec runtime, String healthPath,
                     ReleaseRef release) {

    /** A launch for no release of its own. */
    public Launch(String instanceId, String version, String artifact, RuntimeSpec runtime, String healthPath) {
        this(instanceId, version, artifact, runtime, healthPath, null);
    }

    public static Launch of(String instanceId, ReleaseRef release, ReleaseSpec spec) {
        return new Launch(instanceId, release.version(), spec.artifact(), spec.runtime(), spec.health().path(), release);
    }
}
