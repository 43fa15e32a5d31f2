package dev.switchback.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a command as a process (the packaged {@code switchback} jar, or a CI job's shell script), with every line
 * it printed and when each arrived, so a test can tell output printed live from output printed at the end.
 */
final class CliProcess {

    /**
     * A line of output.
     *
     * @param text      the line
     * @param atMillis  when it arrived, in milliseconds since the process started
     * @param stderr    whether it came on stderr
     */
    record Line(String text, long atMillis, boolean stderr) {
    }

    private final Process process;
    private final long started = System.nanoTime();
    private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> readers = new ArrayList<>();

    private CliProcess(Process process) {
        this.process = process;
        readers.add(reader(process.getInputStream(), false));
        readers.add(reader(process.getErrorStream(), true));
    }

    /** The jar the cli module packages. */
    static Path jar(Path root) {
        return root.resolve("cli/target/switchback.jar");
    }

    /** Starts {@code java -jar switchback.jar ARGS} with the environment given on top of this one's. */
    static CliProcess switchback(Path root, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar(root).toString()));
        command.addAll(List.of(args));
        return start(command, env, root.toFile().toPath());
    }

    /** Starts a command in a directory, with the environment given on top of this one's. */
    static CliProcess start(List<String> command, Map<String, String> env, Path directory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().remove("SWITCHBACK_TOKEN");
        builder.environment().remove("SWITCHBACK_URL");
        builder.environment().putAll(env);
        return new CliProcess(builder.start());
    }

    /** Waits for the end; answers the exit code. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        for (Thread reader : readers) {
            reader.join(5_000);
        }
        return process.exitValue();
    }

    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String stdout() {
        return String.join("\n", lines().stream().filter(l -> !l.stderr()).map(Line::text).toList());
    }

    String stderr() {
        return String.join("\n", lines().stream().filter(Line::stderr).map(Line::text).toList());
    }

    String output() {
        return String.join("\n", lines().stream().map(l -> (l.stderr() ? "err| " : "out| ") + l.text()).toList());
    }

    /** When the first line containing the text arrived; fails when none did. */
    long arrivalOf(String text) {
        return lines().stream().filter(l -> l.text().contains(text)).findFirst().map(Line::atMillis)
                .orElseThrow(() -> new AssertionError("no line with " + text + " in:\n" + output()));
    }

    private Thread reader(java.io.InputStream stream, boolean stderr) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(new Line(line, (System.nanoTime() - started) / 1_000_000, stderr));
                }
            } catch (IOException ended) {
                // the process ended
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
