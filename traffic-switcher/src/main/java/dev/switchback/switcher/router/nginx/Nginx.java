package dev.switchback.switcher.router.nginx;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The nginx master the router runs under its own prefix, apart from any system nginx: finding the binary, starting
 * or adopting the master, reloading it, asking its loopback control server what it serves, and stopping it.
 */
final class Nginx {

    private static final Logger LOG = Logger.getLogger(Nginx.class);

    private static final Duration POLL = Duration.ofMillis(2);

    private final NginxConfig config;
    private final Duration readTimeout;
    private final Path prefix;
    private NginxBinary binary;
    // Read by weights() and stats() without the router's lock.
    private volatile ProcessHandle master;
    private volatile int controlPort;

    Nginx(NginxConfig config, Duration readTimeout) {
        this.config = config;
        this.readTimeout = readTimeout;
        this.prefix = Path.of(config.workDir()).toAbsolutePath().normalize();
    }

    Path prefix() {
        return prefix;
    }

    Duration timeout() {
        return config.reloadTimeout();
    }

    Path routes() {
        return prefix.resolve("routes");
    }

    Path logs() {
        return prefix.resolve("logs");
    }

    private Path conf() {
        return prefix.resolve("nginx.conf");
    }

    private Path pidFile() {
        return logs().resolve("nginx.pid");
    }

    Path errorLog() {
        return logs().resolve("error.log");
    }

    /** The master's pid while it runs; empty when this router has not started or adopted one, or it died. */
    Optional<Long> pid() {
        ProcessHandle now = master;
        if (now == null) {
            return Optional.empty();
        }
        // A master this router started may not have retitled itself yet; an adopted one is no child of ours, so
        // only its title tells it from a zombie or from another program that got its pid.
        boolean alive = now.parent().map(parent -> parent.pid() == ProcessHandle.current().pid()).orElse(false)
                ? now.isAlive() : NginxProcesses.isMaster(now);
        return alive ? Optional.of(now.pid()) : Optional.empty();
    }

    boolean running() {
        return pid().isPresent();
    }

    /**
     * Makes sure a master runs this prefix's configuration: adopts the one a previous switcher left running (its pid
     * file names a live master), or starts one. A started master first loses the route files the router does not
     * know, since no one is served by them; an adopted one keeps them all, so its users see no change.
     */
    void ensureRunning(Set<String> knownRouteFiles) {
        if (running()) {
            return;
        }
        binary = new NginxBinary(NginxBinary.resolve(config.binary()), prefix, conf(), errorLog(), config.reloadTimeout());
        try {
            Files.createDirectories(routes());
            Files.createDirectories(logs());
            Files.createDirectories(prefix.resolve("temp"));
            // Started as root, nginx runs its workers as nobody; they need to reach the temp directories it creates.
            for (Path dir : List.of(prefix, routes(), logs(), prefix.resolve("temp"))) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the nginx prefix " + prefix, e);
        }
        warnIfWorkersCannotReachPrefix();
        controlPort = freePort();
        long errorsFrom = errorLogSize();
        String token = UUID.randomUUID().toString();
        RouteFiles.write(conf(), mainConf(token));
        Optional<ProcessHandle> left = readPid().flatMap(ProcessHandle::of).filter(NginxProcesses::isMaster);
        List<Long> oldWorkers = List.of();
        if (left.isPresent()) {
            master = left.get();
            LOG.infof("adopting nginx master %d of %s", master.pid(), prefix);
            oldWorkers = reload();
        } else {
            new RouteFiles(routes(), logs()).removeAllBut(knownRouteFiles);
            start();
        }
        NginxControl.Answer answer = await("/switchback", a -> a.status() == 200 && a.body().strip().equals(token), oldWorkers);
        if (answer.status() != 200 || !answer.body().strip().equals(token)) {
            String why = "nginx of " + prefix + " does not serve its configuration within " + config.reloadTimeout()
                    + (running() ? "" : " (it exited)") + "; it answers " + NginxControl.describe(answer) + errorsSince(errorsFrom)
                    + output();
            stop();
            throw new IllegalStateException(why);
        }
    }

    /** nginx started as root serves even then, but its workers cannot write the temp files large bodies need. */
    private void warnIfWorkersCannotReachPrefix() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        for (Path dir = prefix.getParent(); dir != null; dir = dir.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    LOG.warnf("nginx runs its workers as nobody, who cannot enter %s: requests and answers too large "
                            + "for memory may fail; choose a switchback.router.nginx.work-dir others may enter", dir);
                    return;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return;
            }
        }
    }

    private void start() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + pidFile(), e);
        }
        master = binary.startMaster(logs().resolve("nginx.out").toFile()).toHandle();
        LOG.infof("started nginx master %d with prefix %s, control port %d", master.pid(), prefix, controlPort);
    }

    /**
     * Tells the master to load the configuration again. The signaller parses the files first and refuses a broken
     * one, so nginx keeps serving the previous configuration; old workers finish their requests, then exit.
     *
     * @return the workers that took new connections before the reload, for {@link #await} to see them stop
     */
    List<Long> reload() {
        List<Long> before = NginxProcesses.acceptingWorkers(master);
        NginxBinary.Result result = binary.run("-s", "reload");
        if (result.exit() != 0) {
            throw new IllegalStateException("nginx refused the configuration: " + result.output().strip());
        }
        return before;
    }

    /**
     * Asks the control server until the answer satisfies the check and none of the given workers takes new
     * connections any more, or the reload timeout passes; returns the last answer either way.
     */
    NginxControl.Answer await(String path, Predicate<NginxControl.Answer> check, List<Long> oldWorkers) {
        long deadline = System.nanoTime() + config.reloadTimeout().toNanos();
        NginxControl.Answer answer = ask(path);
        while (!(check.test(answer) && NginxProcesses.stillAccepting(oldWorkers).isEmpty()) && System.nanoTime() < deadline
                && running()) {
            sleep(POLL);
            answer = ask(path);
        }
        return answer;
    }

    /** One GET on the control server; no answer while no master runs. */
    NginxControl.Answer ask(String path) {
        return running() ? NginxControl.ask(controlPort, path) : NginxControl.Answer.NONE;
    }

    /**
     * Stops the master gracefully (in-flight requests finish), then kills it and its workers if the stop timeout
     * passes: killed alone, a master leaves its workers serving.
     */
    void stop() {
        if (master == null) {
            return;
        }
        ProcessHandle stopping = master;
        master = null;
        if (!stopping.isAlive()) {
            return;
        }
        List<ProcessHandle> workers = stopping.children().toList();
        if (binary == null || binary.run("-s", "quit").exit() != 0) {
            stopping.destroy();
        }
        try {
            stopping.onExit().get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("nginx master %d stopped", stopping.pid());
        } catch (Exception e) {
            LOG.warnf("nginx master %d did not stop within %s; killing it", stopping.pid(), config.stopTimeout());
            stopping.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** What nginx wrote to its error log after the given offset, as the tail of an error message. */
    String errorsSince(long offset) {
        try (RandomAccessFile log = new RandomAccessFile(errorLog().toFile(), "r")) {
            long from = Math.max(offset, log.length() - 2048);
            if (log.length() <= from) {
                return "";
            }
            byte[] tail = new byte[(int) (log.length() - from)];
            log.seek(from);
            log.readFully(tail);
            return "; nginx error log: " + new String(tail, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** What the master printed, for when it exits before its error log is open. */
    private String output() {
        try {
            String output = Files.readString(logs().resolve("nginx.out")).strip();
            return output.isEmpty() ? "" : "; nginx printed: " + output.substring(Math.max(0, output.length() - 2048));
        } catch (IOException e) {
            return "";
        }
    }

    long errorLogSize() {
        try {
            return Files.exists(errorLog()) ? Files.size(errorLog()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String mainConf(String token) {
        int workers = config.workers().orElse(Runtime.getRuntime().availableProcessors());
        return MainConf.render(workers, pidFile(), errorLog(), binary.run("-V").output(), controlPort, token,
                readTimeout);
    }

    private Optional<Long> readPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for nginx's control server", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for nginx", e);
        }
    }
}
