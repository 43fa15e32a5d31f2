package dev.switchback.deployer.instance.runtime.process;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.HttpHealthCheck;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs instances as child processes of the deployer: the command is an argv list, never a shell line, on a free
 * loopback port passed as {@code PORT}, through nice(1) when instances run below the suite's priority
 * ({@code switchback.deployer.instance-niceness}). A pid file per instance lets a restarted deployer, and {@code ./suite down},
 * find it. The handle's data holds the pid, the port, the health path and the node: a process belongs to the node
 * that started it, and only that node's deployer touches it.
 */
@ApplicationScoped
public class ProcessRuntimeDriver implements RuntimeDriver {

    /** PID, PORT, NODE, HEALTH: the keys of this driver's data in a handle. */
    public static final String PID = "pid";
    public static final String PORT = "port";
    public static final String NODE = "node";
    public static final String HEALTH = "health";

    /** MAX_NICENESS: the lowest priority setpriority(2) knows; lower than the deployer's own needs no privilege. */
    public static final int MAX_NICENESS = 19;

    private static final Logger LOG = Logger.getLogger(ProcessRuntimeDriver.class);

    private final Path workDir;
    private final String node;
    private final HttpHealthCheck health;
    private final int niceness;

    @Inject
    public ProcessRuntimeDriver(DeployerConfig config) {
        this(Path.of(config.workDir()), config.node().orElseGet(ProcessRuntimeDriver::hostName), config.healthTimeout(),
                config.instanceNiceness());
    }

    public ProcessRuntimeDriver(Path workDir, String node, Duration healthTimeout, int niceness) {
        // A negative niceness would put instances ahead of the suite, the opposite of what it is for, and needs
        // privileges nice(1) only warns about: refused with the rest of what setpriority(2) would not take.
        if (niceness < 0 || niceness > MAX_NICENESS) {
            throw new IllegalArgumentException("switchback.deployer.instance-niceness must be between 0 and "
                    + MAX_NICENESS + ", got " + niceness);
        }
        this.workDir = workDir.toAbsolutePath();
        this.node = node;
        this.health = new HttpHealthCheck(healthTimeout);
        this.niceness = niceness;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public Handle start(Launch launch) {
        return launch(launch, null);
    }

    @Override
    public Answer readiness(Handle handle) {
        Answer answer = health.check(handle.endpoint(), handle.get(HEALTH));
        if (!answer.isYes() && liveness(handle).isNo()) {
            return Answer.no("the process exited before it became healthy");
        }
        return answer;
    }

    @Override
    public Answer liveness(Handle handle) {
        if (!reaches(handle)) {
            return Answer.notYet("runs on node " + handle.get(NODE) + ", not on " + node);
        }
        Long pid = pid(handle);
        boolean alive = pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Answer.yes() : Answer.no("process " + pid + " is gone");
    }

    @Override
    public void stop(Handle handle) {
        Long pid = pid(handle);
        if (pid != null) {
            ProcessHandle.of(pid).ifPresent(ProcessRuntimeDriver::terminate);
        }
        try {
            Files.deleteIfExists(pidFile(handle.instanceId()));
        } catch (IOException e) {
            LOG.warnf("cannot delete pid file of %s: %s", handle.instanceId(), e.getMessage());
        }
    }

    @Override
    public Handle recover(Handle handle, Launch launch) {
        if (liveness(handle).isYes()) {
            return handle;
        }
        // Started again on the port it had, so what routes to it keeps working once it is up.
        return launch(launch, Integer.parseInt(handle.get(PORT)));
    }

    @Override
    public String logTail(Handle handle) {
        Path log = workDir.resolve(handle.instanceId() + ".log");
        try {
            if (!Files.exists(log)) {
                return null;
            }
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean reaches(Handle handle) {
        // Handles recorded before nodes were (a single deployer) have none: they are this node's.
        String owner = handle.get(NODE);
        return owner == null || owner.equals(node);
    }

    private Handle launch(Launch launch, Integer fixedPort) {
        String id = launch.instanceId();
        try {
            Files.createDirectories(workDir);
            // A process left by a start whose record was lost (the deployer died in between) is stopped first.
            readPid(id).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                    .ifPresent(ProcessRuntimeDriver::terminate);
            int port = fixedPort == null ? freePort() : fixedPort;
            List<String> command = new ArrayList<>();
            for (String arg : launch.runtime().command()) {
                command.add(arg.replace("{artifact}", launch.artifact()).replace("{version}", launch.version())
                        .replace("{port}", Integer.toString(port)));
            }
            ProcessBuilder builder = new ProcessBuilder()
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(id + ".log").toFile()));
            Map<String, String> env = builder.environment();
            if (launch.runtime().env() != null) {
                env.putAll(launch.runtime().env());
            }
            env.put("PORT", Integer.toString(port));
            env.put("SERVICE_VERSION", launch.version());
            builder.command(niced(command));
            Process process = builder.start();
            Files.writeString(pidFile(id), Long.toString(process.pid()));
            LOG.infof("started %s (pid %d) on port %d: %s", id, process.pid(), port, builder.command());
            return new Handle(id, URI.create("http://127.0.0.1:" + port), Map.of(PID, Long.toString(process.pid()),
                    PORT, Integer.toString(port), NODE, node, HEALTH, launch.healthPath()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The command as started: through nice(1) above niceness 0, set before the exec so every thread the instance
     * starts has it (renice after the start would reach only its first thread), and the pid stays the instance's own
     * as nice execs the program. The program is resolved first, on the deployer's PATH as Java resolves it without
     * nice: nice would start even for a program that is not there and exit with 127, where a failed start must say so
     * at once.
     */
    private List<String> niced(List<String> command) throws IOException {
        if (niceness == 0) {
            return command;
        }
        if (command.isEmpty()) {
            throw new IOException("the command is empty");
        }
        Path cwd = Path.of("").toAbsolutePath();
        String path = System.getenv("PATH");
        Path nice;
        try {
            nice = ProgramPath.resolve("nice", path, cwd);
        } catch (IOException e) {
            throw new IOException("nice(1) is not on the deployer's PATH; switchback.deployer.instance-niceness=0 runs "
                    + "instances without it", e);
        }
        List<String> niced = new ArrayList<>(List.of(nice.toString(), "-n", Integer.toString(niceness),
                ProgramPath.resolve(command.get(0), path, cwd).toString()));
        niced.addAll(command.subList(1, command.size()));
        return niced;
    }

    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static Long pid(Handle handle) {
        String pid = handle.get(PID);
        return pid == null ? null : Long.valueOf(pid);
    }

    private Path pidFile(String instanceId) {
        return workDir.resolve(instanceId + ".pid");
    }

    private Optional<Long> readPid(String instanceId) {
        Path file = pidFile(instanceId);
        try {
            return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
