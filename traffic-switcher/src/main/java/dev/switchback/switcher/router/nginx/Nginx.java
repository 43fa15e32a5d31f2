package dev.switchback.switcher.router.nginx;

import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The nginx master the router runs under its own prefix, apart from any system nginx: finding the binary, starting
 * or adopting the master, reloading it, asking its loopback control server what it serves, and stopping it.
 */
final class Nginx {

    private static final Logger LOG = Logger.getLogger(Nginx.class);

    /** INSTALL_HINT: what every "nginx is missing" error tells the operator. */
    static final String INSTALL_HINT = "install nginx (Debian: apt-get install nginx-light)";

    private static final String MASTER_TITLE = "nginx: master process";
    private static final String WORKER_TITLE = "nginx: worker process";
    private static final Duration POLL = Duration.ofMillis(2);

    /** What a control request got: the status (0 when nginx did not answer) and the body. */
    record Answer(int status, String body) {
        static final Answer NONE = new Answer(0, "");
    }

    private final NginxConfig config;
    private final Path prefix;
    private String binary;
    // Read by weights() and stats() without the router's lock.
    private volatile ProcessHandle master;
    private volatile int controlPort;

    Nginx(NginxConfig config) {
        this.config = config;
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
                ? now.isAlive() : isMaster(now);
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
        binary = resolve(config.binary());
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
        write(conf(), mainConf(token));
        Optional<ProcessHandle> left = readPid().flatMap(ProcessHandle::of).filter(Nginx::isMaster);
        List<Long> oldWorkers = List.of();
        if (left.isPresent()) {
            master = left.get();
            LOG.infof("adopting nginx master %d of %s", master.pid(), prefix);
            oldWorkers = reload();
        } else {
            removeUnknownRoutes(knownRouteFiles);
            start();
        }
        Answer answer = await("/switchback", a -> a.status() == 200 && a.body().strip().equals(token), oldWorkers);
        if (answer.status() != 200 || !answer.body().strip().equals(token)) {
            String why = "nginx of " + prefix + " does not serve its configuration within " + config.reloadTimeout()
                    + (running() ? "" : " (it exited)") + "; it answers " + describe(answer) + errorsSince(errorsFrom)
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
            File out = logs().resolve("nginx.out").toFile();
            Process process = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                    .start();
            master = process.toHandle();
            LOG.infof("started nginx master %d with prefix %s, control port %d", master.pid(), prefix, controlPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        }
    }

    /**
     * Tells the master to load the configuration again. The signaller parses the files first and refuses a broken
     * one, so nginx keeps serving the previous configuration; old workers finish their requests, then exit.
     *
     * @return the workers that took new connections before the reload, for {@link #await} to see them stop
     */
    List<Long> reload() {
        List<Long> before = acceptingWorkers();
        Result result = run("-s", "reload");
        if (result.exit() != 0) {
            throw new IllegalStateException("nginx refused the configuration: " + result.output().strip());
        }
        return before;
    }

    /**
     * Asks the control server until the answer satisfies the check and none of the given workers takes new
     * connections any more, or the reload timeout passes; returns the last answer either way.
     */
    Answer await(String path, Predicate<Answer> check, List<Long> oldWorkers) {
        long deadline = System.nanoTime() + config.reloadTimeout().toNanos();
        Answer answer = ask(path);
        while (!(check.test(answer) && stillAccepting(oldWorkers).isEmpty()) && System.nanoTime() < deadline
                && running()) {
            sleep(POLL);
            answer = ask(path);
        }
        return answer;
    }

    /** One GET on the control server, on a fresh connection so it reaches whichever worker accepts it now. */
    Answer ask(String path) {
        if (!running()) {
            return Answer.NONE;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: control\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String[] statusLine = response.split(" ", 3);
            if (headersEnd < 0 || statusLine.length < 2) {
                return Answer.NONE;
            }
            return new Answer(Integer.parseInt(statusLine[1]), response.substring(headersEnd + 4));
        } catch (IOException | NumberFormatException e) {
            return Answer.NONE;
        }
    }

    static String describe(Answer answer) {
        return answer.status() == 0 ? "nothing" : answer.status() + " \"" + answer.body().strip() + "\"";
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
        if (binary == null || run("-s", "quit").exit() != 0) {
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

    /** Writes a file whole: nginx reading it during a reload sees the old version or the new one, never half. */
    static void write(Path file, String text) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private String mainConf(String token) {
        int workers = config.workers().orElse(Runtime.getRuntime().availableProcessors());
        String version = run("-V").output();
        StringBuilder temp = new StringBuilder("    client_body_temp_path temp/client_body;\n    proxy_temp_path temp/proxy;\n");
        // Every compiled-in module creates its temp directory at start, by default under /var/lib/nginx, which only
        // root may write; naming one that is not compiled in is an error, so ask the binary which it has.
        for (String module : List.of("fastcgi", "uwsgi", "scgi")) {
            if (!version.contains("--without-http_" + module + "_module")) {
                temp.append("    ").append(module).append("_temp_path temp/").append(module).append(";\n");
            }
        }
        return """
                # Written by the switcher's nginx router at every start; edits are lost.
                daemon off;
                worker_processes %d;
                pid %s;
                error_log %s warn;

                events {
                    worker_connections 4096;
                }

                http {
                    access_log off;
                    server_tokens off;
                %s
                    # Each attempt of a request: which endpoint, what it answered, how long it took; then the request.
                    log_format switchback '$upstream_addr|$upstream_status|$upstream_response_time|$status|$request_time';

                    # Keep-alive to the endpoints needs HTTP/1.1 and no Connection header passed on.
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_connect_timeout 2s;
                    # Another endpoint gets a request only when nothing of it was processed, or it is idempotent: nginx
                    # never passes on a POST, PATCH or LOCK once sent, as non_idempotent is not listed.
                    proxy_next_upstream error timeout http_502 http_503 http_504;
                    proxy_next_upstream_tries 2;

                    include routes/*.conf;

                    # Loopback only: what nginx serves, read back by the router to verify every reload.
                    server {
                        listen 127.0.0.1:%d;
                        location = /switchback {
                            default_type text/plain;
                            return 200 "%s\\n";
                        }
                        include routes/*.control;
                        location / {
                            return 404;
                        }
                    }
                }
                """.formatted(workers, pidFile(), errorLog(), temp.toString().stripTrailing(), controlPort, token);
    }

    private void removeUnknownRoutes(Set<String> known) {
        try (Stream<Path> files = Files.list(routes())) {
            for (Path file : files.collect(Collectors.toList())) {
                String name = file.getFileName().toString();
                String base = name.endsWith(".conf") ? name.substring(0, name.length() - 5)
                        : name.endsWith(".control") ? name.substring(0, name.length() - 8) : null;
                if (base != null && !known.contains(base)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + routes(), e);
        }
    }

    private Optional<Long> readPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The worker processes that take new connections: a worker told to quit retitles itself "is shutting down". */
    private List<Long> acceptingWorkers() {
        if (master == null) {
            return List.of();
        }
        return master.children().filter(child -> title(child).equals(WORKER_TITLE)).map(ProcessHandle::pid).toList();
    }

    static List<Long> stillAccepting(List<Long> workers) {
        return workers.stream().filter(pid -> ProcessHandle.of(pid).map(Nginx::title).orElse("").equals(WORKER_TITLE))
                .toList();
    }

    /** A live nginx master: a zombie, or another program that reused the pid, has another title. */
    private static boolean isMaster(ProcessHandle process) {
        return process.isAlive() && title(process).startsWith(MASTER_TITLE);
    }

    /** The process's title as nginx sets it; empty where /proc cannot tell, which skips the checks that use it. */
    private static String title(ProcessHandle process) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** A command's exit code and its output (stdout and stderr together). */
    record Result(int exit, String output) {
    }

    private Result run(String... args) {
        List<String> command = Stream.concat(command().stream(), Stream.of(args)).toList();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(config.reloadTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within " + config.reloadTimeout());
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** nginx with this prefix: -e sends even the errors of reading the configuration to the prefix's error log. */
    private List<String> command() {
        return List.of(binary, "-p", prefix + "/", "-c", conf().toString(), "-e", errorLog().toString());
    }

    /** The binary as configured, found as a path, on PATH, or in the sbin directories PATH often lacks. */
    static String resolve(String binary) {
        if (binary.contains("/")) {
            if (Files.isExecutable(Path.of(binary))) {
                return binary;
            }
            throw new IllegalStateException("nginx not found at " + binary + ": " + INSTALL_HINT
                    + ", or set switchback.router.nginx.binary");
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/usr/local/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, binary))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("nginx not found (" + binary + " is not on PATH nor in "
                        + "/usr/sbin): " + INSTALL_HINT + ", or set switchback.router.nginx.binary"));
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
