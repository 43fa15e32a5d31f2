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
import java.util.stream.Stream;

/**
 * The one check of the tests that run a real nginx: on a machine without it they are skipped with a message naming
 * the Debian package, so the README's test command passes on a fresh machine; under CI ({@code CI=true}) every one
 * of them is required and fails without nginx. As a class or method extension, or {@link #assume()} in a test.
 */
public final class NginxInstalled implements ExecutionCondition {

    /** PACKAGE: the Debian package that provides nginx for these tests. */
    public static final String PACKAGE = "nginx-light";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = missing();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("nginx is installed");
        }
        if (ci()) {
            throw new IllegalStateException(missing.get() + "; under CI=true every nginx test must run");
        }
        return ConditionEvaluationResult.disabled(missing.get());
    }

    /** Within a test: returns when nginx is installed; else skips the test, or fails it under CI. */
    public static void assume() {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            if (ci()) {
                Assertions.fail(missing.get() + "; under CI=true every nginx test must run");
            }
            Assumptions.abort(missing.get());
        }
    }

    /** Why the nginx tests cannot run here, if they cannot: the router finds nginx on PATH or in the sbin directories. */
    static Optional<String> missing() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        boolean found = Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/usr/local/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "nginx")));
        return found ? Optional.empty() : Optional.of("nginx is not installed: this test runs a real nginx; install the "
                + "Debian package " + PACKAGE + " (apt-get install " + PACKAGE + ")");
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
