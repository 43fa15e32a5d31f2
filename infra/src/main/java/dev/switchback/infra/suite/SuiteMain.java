package dev.switchback.infra.suite;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process behind {@code ./suite up}: starts the suite from a clean slate, writes {@code .suite/ready} with
 * the summary once everything is healthy, and stops everything when it gets SIGTERM ({@code ./suite down}).
 */
public final class SuiteMain {

    private SuiteMain() {
    }

    public static void main(String[] args) throws Exception {
        SuiteConfig config = SuiteConfig.defaults(Path.of("").toAbsolutePath());
        Path home = config.home();
        Suite.clean(home);
        Suite suite;
        try {
            suite = Suite.start(config);
        } catch (RuntimeException e) {
            Suite.log("failed: " + e.getMessage());
            Files.writeString(home.resolve("failed"), e.getMessage() + "\n");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Suite.log("stopping");
            suite.close();
            Suite.log("stopped");
        }, "suite-stop"));
        Files.writeString(home.resolve("ready"), suite.summary());
        Suite.log("ready\n" + suite.summary());
        Thread.currentThread().join();
    }
}
