package dev.switchback.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchback.events.EventCodec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service specs the benchmarks register: sample-app without a database (nothing to migrate), as cheap a JVM as
 * it starts well with, routed by the embedded router or nginx on a port of its own.
 */
public final class Specs {

    /**
     * SAMPLE_JVM: sample-app's JVM and its settings. A 24 MiB heap is plenty for its JDK HttpServer; C1 only, serial GC
     * and small thread stacks keep a hundred of them within a few GiB; its RSS is measured, not assumed.
     */
    private static final List<String> SAMPLE_JVM = List.of("java", "-Xmx24m", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=32m");

    private Specs() {
    }

    /**
     * A blue-green spec: bake of {@code bakeSeconds} (0 promotes at cutover) judged every {@code intervalMillis} on the
     * router's counters, with a probe of 10 requests per second when {@code probe} is set.
     */
    public static String sample(Path jar, String router, int port, int bakeSeconds, int intervalMillis, boolean probe) {
        List<String> command = new ArrayList<>(SAMPLE_JVM);
        command.addAll(List.of("-jar", "{artifact}"));
        return spec(jar, command, router, port, bakeSeconds, intervalMillis, probe);
    }

    /**
     * As {@link #sample}, but an instance whose version ends in {@code -fail} also spins {@code hogs} busy loops (for
     * {@code hogSeconds}, then they end by themselves) beside its JVM, in its process group and at its niceness: a green
     * that fails every request and takes the CPU while it is judged.
     */
    public static String hogging(Path jar, String router, int port, int bakeSeconds, int intervalMillis, int hogs,
                                 int hogSeconds) {
        String script = ("case \"$SERVICE_VERSION\" in *-fail) for i in $(seq %d); do timeout %d sh -c 'while :; do :; done' & done;; esac; "
                + "exec %s -jar {artifact}").formatted(hogs, hogSeconds, String.join(" ", SAMPLE_JVM));
        return spec(jar, List.of("sh", "-c", script), router, port, bakeSeconds, intervalMillis, false);
    }

    private static String spec(Path jar, List<String> command, String router, int port, int bakeSeconds,
                               int intervalMillis, boolean probe) {
        String argv;
        try {
            argv = EventCodec.mapper().writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return """
                {"artifact": "%s",
                 "runtime": {"driver": "process", "command": %s},
                 "router": {"driver": "%s", "port": %d},
                 "health": {"path": "/health", "deadlineSeconds": 120},
                 "rollout": {"strategy": "blue-green", "bakeSeconds": %d,
                             "analysis": {"intervalMillis": %d, "maxErrorRate": 0.05, "maxP99Millis": 1000,
                                          "minRequests": 5%s}}}
                """.formatted(jar, argv, router, port, bakeSeconds, intervalMillis,
                probe ? ", \"probe\": {\"path\": \"/version\", \"perSecond\": 10}" : "");
    }

    /** A spec whose instance exits at once: its releases run the whole pipeline and end FAILED at green's start. */
    public static String exiting(Path artifact, int port) {
        return """
                {"artifact": "%s",
                 "runtime": {"driver": "process", "command": ["true"]},
                 "router": {"driver": "embedded", "port": %d},
                 "health": {"path": "/health", "deadlineSeconds": 30},
                 "rollout": {"strategy": "blue-green", "bakeSeconds": 0}}
                """.formatted(artifact, port);
    }
}
