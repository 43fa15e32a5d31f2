package dev.switchback.deployer.instance.runtime;

import dev.switchback.events.RuntimeSpec;

/**
 * How the deployer starts, watches and stops instances. One implementation per runtime ({@code process} now,
 * {@code kubernetes} later); the deployer talks only to this interface.
 */
public interface RuntimeDriver {

    /** The name a service spec selects the driver by. */
    String name();

    /**
     * Starts an instance, unless one with this id already runs.
     *
     * @return where it runs
     */
    Started start(String instanceId, RuntimeSpec runtime, String artifact, String version);

    /**
     * Starts an instance again on the port it had, after its process was lost (a crash, a reboot): what routes to it
     * keeps working once it is up.
     */
    Started restart(String instanceId, RuntimeSpec runtime, String artifact, String version, int port);

    /** Whether the instance's process (or pod) is still there. */
    boolean isAlive(String instanceId, Long pid);

    /** Stops the instance for good and releases its resources; stopping a stopped one is fine. */
    void stop(String instanceId, Long pid);

    /**
     * Where a started instance runs.
     *
     * @param pid  process id, when the runtime has one
     * @param port port it listens on
     */
    record Started(Long pid, int port) {
    }
}
