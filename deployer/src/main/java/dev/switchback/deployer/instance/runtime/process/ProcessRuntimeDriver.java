package dev.switchback.deployer.instance.runtime.process;

import dev.switchback.deployer.config.DeployerConfig;
import dev.switchback.deployer.instance.runtime.RuntimeDriver;
import dev.switchback.events.RuntimeSpec;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs instances as child processes of the deployer: the command is an argv list, never a shell line, on a free
 * port passed as {@code PORT}. A pid file per instance lets a restarted deployer, and {@code ./suite down}, find it.
 */
@ApplicationScoped
public class ProcessRuntimeDriver implements RuntimeDriver {

    private static final Logger LOG = Logger.getLogger(ProcessRuntimeDriver.class);

    private final Path workDir;

    public ProcessRuntimeDriver(DeployerConfig config) {
        this.workDir = Path.of(config.workDir()).toAbsolutePath();
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public Started start(String instanceId, RuntimeSpec runtime, String artifact, String version) {
        return launch(instanceId, runtime, artifact, version, null);
    }

    @Override
    public Started restart(String instanceId, RuntimeSpec runtime, String artifact, String version, int port) {
        return launch(instanceId, runtime, artifact, version, port);
    }

    private Started launch(String instanceId, RuntimeSpec runtime, String artifact, String version, Integer fixedPort) {
        try {
            Files.createDirectories(workDir);
            Optional<ProcessHandle> existing = readPid(instanceId).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (existing.isPresent()) {
                // A redelivered start: the instance is there already; stop it so it restarts on a known port.
                stop(instanceId, existing.get().pid());
            }
            int port = fixedPort == null ? freePort() : fixedPort;
            List<String> command = new ArrayList<>();
            for (String arg : runtime.command()) {
                command.add(arg.replace("{artifact}", artifact).replace("{version}", version)
                        .replace("{port}", Integer.toString(port)));
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(instanceId + ".log").toFile()));
            Map<String, String> env = builder.environment();
            if (runtime.env() != null) {
                env.putAll(runtime.env());
            }
            env.put("PORT", Integer.toString(port));
            env.put("SERVICE_VERSION", version);
            Process process = builder.start();
            Files.writeString(workDir.resolve(instanceId + ".pid"), Long.toString(process.pid()));
            LOG.infof("started %s (pid %d) on port %d: %s", instanceId, process.pid(), port, command);
            return new Started(process.pid(), port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + instanceId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isAlive(String instanceId, Long pid) {
        return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void stop(String instanceId, Long pid) {
        if (pid != null) {
            ProcessHandle.of(pid).ifPresent(process -> {
                process.destroy();
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.destroyForcibly();
                }
            });
        }
        try {
            Files.deleteIfExists(workDir.resolve(instanceId + ".pid"));
        } catch (IOException e) {
            LOG.warnf("cannot delete pid file of %s: %s", instanceId, e.getMessage());
        }
    }

    private Optional<Long> readPid(String instanceId) {
        Path file = workDir.resolve(instanceId + ".pid");
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
}
