package dev.switchback.deployer.copy.service;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.deployer.instance.runtime.RuntimeDrivers;
import dev.switchback.events.DatabaseAddress;
import dev.switchback.events.DatabaseAddresses;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RuntimeSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one way a copy starts, for a contract's proof and for a copy an admin asked for: a version's own runtime with
 * every database address pointed at a schema copy, started through its runtime driver on an endpoint of its own, and
 * waited for until its health check answers.
 */
@ApplicationScoped
public class CopyLauncher {

    /**
     * MAX_WAIT_SECONDS: the longest a copy is waited for, whatever the health deadline: a copy starts inside the
     * consumer's transaction (60 s by default), and a copy too slow to start counts as not healthy.
     */
    static final int MAX_WAIT_SECONDS = 40;

    private final RuntimeDrivers drivers;
    private final DeployerConfig config;

    public CopyLauncher(RuntimeDrivers drivers, DeployerConfig config) {
        this.drivers = drivers;
        this.config = config;
    }

    /** A runtime that names no database address: nothing could be pointed at the copy. */
    public static class NoAddress extends RuntimeException {
        public NoAddress() {
            super("the runtime names no database address the copy could be pointed at");
        }
    }

    /**
     * The runtime with every database address pointed at the copy.
     *
     * @throws NoAddress                when it names none
     * @throws IllegalArgumentException when the copy's URL or an address cannot be read
     */
    public static RuntimeSpec pointedAt(RuntimeSpec runtime, String copyUrl) {
        DatabaseAddress copy = DatabaseAddresses.parse("the copy", copyUrl);
        if (DatabaseAddresses.scan(runtime).addresses().isEmpty()) {
            throw new NoAddress();
        }
        return DatabaseAddresses.rewrite(runtime, copy.hosts(), copy.database());
    }

    /** The driver the spec runs its instances with. */
    public RuntimeDriver driver(ReleaseSpec spec) {
        return drivers.named(spec.runtime().driver());
    }

    /** Starts the version as {@code instanceId} with the (pointed) runtime; a process a crash left under that id is replaced. */
    public Handle start(String instanceId, String version, ReleaseSpec spec, RuntimeSpec runtime) {
        return driver(spec).start(launch(instanceId, version, spec, runtime));
    }

    /** What the driver needs to start the copy, or start it again where it was. */
    public static Launch launch(String instanceId, String version, ReleaseSpec spec, RuntimeSpec runtime) {
        return new Launch(instanceId, version, spec.artifact(), runtime, spec.health().path());
    }

    /** How long a copy of this spec is waited for. */
    public static int waitSeconds(ReleaseSpec spec) {
        return Math.min(spec.health().deadlineSeconds(), MAX_WAIT_SECONDS);
    }

    /** Asks the driver until the copy is ready, will never be, or the wait is over. */
    public Answer awaitReady(RuntimeDriver driver, Handle handle, int deadlineSeconds) {
        long deadline = System.nanoTime() + deadlineSeconds * 1_000_000_000L;
        Answer answer = driver.readiness(handle);
        while (!answer.isYes() && !answer.isNo() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(config.healthInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.no("interrupted");
            }
            answer = driver.readiness(handle);
        }
        return answer;
    }
}
