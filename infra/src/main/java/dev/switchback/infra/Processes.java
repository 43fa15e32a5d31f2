package dev.switchback.infra;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping processes the way an operator would: SIGTERM, a grace period, then SIGKILL. */
public final class Processes {

    private Processes() {
    }

    public static void stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Nothing more can be done than SIGKILL; the caller reports what is left.
            }
        }
    }
}
