package dev.switchback.cli.command;

import dev.switchback.cli.Durations;
import dev.switchback.cli.UsageError;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --wait} and {@code --timeout} of {@code release} and the release actions: follow the release to its end, or give up. */
public class WaitOptions {

    @Option(names = "--wait", description = "follow the release until it ends; 0 when it ends as this command asks,"
            + " else that end's code")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "with --wait: give up after this long (e.g. 15m), exit code 7")
    Duration timeout;

    /** Refuses a timeout without waiting, as {@code release} does. */
    void check() {
        if (timeout != null && !await) {
            throw new UsageError("--timeout goes with --wait");
        }
    }
}
