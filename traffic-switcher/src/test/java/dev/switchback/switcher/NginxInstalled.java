package dev.switchback.switcher;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The one check of the tests that run a real nginx: on a machine without it they are skipped with a message naming
 * the Debian package, so the README's test command passes on a fresh machine; under CI ({@code CI=true}) every one
 * of them is required and fails without nginx. As a class or method extension, or {@link #assume()} in a test.
 */
public final class NginxInstalled implements ExecutionCondition {

    /** PACKAGE: the Debian package that provides nginx for these tests. */
    public static final String PACKAGE = "nginx-light";

    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = missing();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("nginx is installed");
        }
        if (ci()) {
            throw new IllegalStateException(missing.get() + "; under CI=true every nginx test must run");
        }
        announce(missing.get());
        return ConditionEvaluationResult.disabled(missing.get());
    }

    /** Within a test: returns when nginx is installed; else skips the test, or fails it under CI. */
    public static void assume() {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            if (ci()) {
                Assertions.fail(missing.get() + "; under CI=true every nginx test must run");
            }
            announce(missing.get());
            Assumptions.abort(missing.get());
        }
    }

    /**
     * Why the nginx tests cannot run here, if they cannot. It looks where the router does: the binary the router is
     * configured with ({@code SWITCHBACK_ROUTER_NGINX_BINARY}, default {@code nginx}), as a path, or on PATH and then
     * in the sbin directories.
     */
    static Optional<String> missing() {
        String binary = Optional.ofNullable(System.getenv("SWITCHBACK_ROUTER_NGINX_BINARY")).orElse("nginx");
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        boolean found = binary.contains("/") ? Files.isExecutable(Path.of(binary))
                : Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/usr/local/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
        return found ? Optional.empty() : Optional.of("nginx is not installed (" + binary + " not found): this test runs"
                + " a real nginx; install the Debian package " + PACKAGE + " (apt-get install " + PACKAGE + ")");
    }

    /** Says once per test JVM, on the console, why tests are skipped: the build's summary gives only a count. */
    private static void announce(String why) {
        if (ANNOUNCED.compareAndSet(false, true)) {
            System.err.println("[nginx] skipping the tests that run nginx: " + why);
        }
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
