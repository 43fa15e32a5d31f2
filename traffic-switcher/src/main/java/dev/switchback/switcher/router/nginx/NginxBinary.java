package dev.switchback.switcher.router.nginx;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The nginx binary run against the router's prefix: found once, then run as master or as a signaller. */
final class NginxBinary {

    /** INSTALL_HINT: what every "nginx is missing" error tells the operator. */
    static final String INSTALL_HINT = "install nginx (Debian: apt-get install nginx-light)";

    /** A command's exit code and its output (stdout and stderr together). */
    record Result(int exit, String output) {
    }

    private final String binary;
    private final Path prefix;
    private final Path conf;
    private final Path errorLog;
    private final Duration timeout;

    NginxBinary(String binary, Path prefix, Path conf, Path errorLog, Duration timeout) {
        this.binary = binary;
        this.prefix = prefix;
        this.conf = conf;
        this.errorLog = errorLog;
        this.timeout = timeout;
    }

    /** nginx with this prefix: -e sends even the errors of reading the configuration to the prefix's error log. */
    List<String> command() {
        return List.of(binary, "-p", prefix + "/", "-c", conf.toString(), "-e", errorLog.toString());
    }

    /** Runs nginx with these arguments to its end (a signal, {@code -V}); at most the reload timeout. */
    Result run(String... args) {
        List<String> command = Stream.concat(command().stream(), Stream.of(args)).toList();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Starts the master, its output appended to the given file. */
    Process startMaster(File out) {
        try {
            return new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        }
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
        return find(binary).orElseThrow(() -> new IllegalStateException("nginx not found (" + binary
                + " is not on PATH nor in /usr/sbin): " + INSTALL_HINT + ", or set switchback.router.nginx.binary"));
    }

    /** The binary looked up on PATH, then in /usr/sbin, /usr/local/sbin and /sbin. */
    static Optional<String> find(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/usr/local/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
