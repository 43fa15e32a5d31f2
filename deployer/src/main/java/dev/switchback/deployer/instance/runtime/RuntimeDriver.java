package dev.switchback.deployer.instance.runtime;

/**
 * How the deployer starts, watches and stops instances. One implementation per runtime, each in a package of its
 * own ({@code process}, {@code kubernetes}); the deployer holds a {@link Handle}, never a pid or a port.
 */
public interface RuntimeDriver {

    /** The name a service spec selects the driver by. */
    String name();

    /**
     * Starts an instance.
     *
     * @return its handle, with the endpoint the driver chose
     */
    Handle start(Launch launch);

    /** Whether the instance answers its readiness check: yes, not yet (still starting), or no (it never will). */
    Answer readiness(Handle handle);

    /** Whether the instance's process (or pod) is still there: yes, no, or not yet known here. */
    Answer liveness(Handle handle);

    /**
     * Takes the instance out of every selection that sends it traffic while keeping it running, for analysis (a
     * failed or rolled-back green). Nothing to do for a driver whose instances get traffic only through a router.
     */
    default void isolate(Handle handle) {
    }

    /** Stops the instance for good and releases its resources; stopping a stopped one is fine. */
    void stop(Handle handle);

    /**
     * After the deployer restarted: adopts the instance if it still runs, else starts it again where routes to it
     * expect it (the same endpoint).
     *
     * @return the handle of the running instance: the same one when adopted, a new one when started again
     */
    Handle recover(Handle handle, Launch launch);

    /**
     * Whether this deployer replica can act on the instance (stop, start again, tell whether it lives): a process
     * belongs to the node that started it; a cluster's instances are reached from anywhere.
     */
    boolean reaches(Handle handle);

    /** The last lines of the instance's own output, for evidence; null when the driver keeps none. */
    default String logTail(Handle handle) {
        return null;
    }
}
