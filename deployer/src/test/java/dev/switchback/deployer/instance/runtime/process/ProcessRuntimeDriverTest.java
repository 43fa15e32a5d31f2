package dev.switchback.deployer.instance.runtime.process;

import dev.switchback.deployer.instance.runtime.Answer;
import dev.switchback.deployer.instance.runtime.Handle;
import dev.switchback.deployer.instance.runtime.Launch;
import dev.switchback.events.RuntimeSpec;
import dev.switchback.infra.test.HttpBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The process driver on its own: real processes, real HTTP, everything addressed through the handle it returns. */
class ProcessRuntimeDriverTest {

    private static final Path SAMPLE_JAR = Path.of("../sample-app/target/sample-app.jar").toAbsolutePath().normalize();
    private static final Path WORK_DIR = Path.of("target/driver-instances");
    private static final String NODE = "node-a";
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    private final ProcessRuntimeDriver driver = new ProcessRuntimeDriver(WORK_DIR, NODE, Duration.ofSeconds(2), 0);
    private final List<Handle> started = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        started.forEach(driver::stop);
    }

    @Test
    void shouldCheckReadinessOnTheHandlesEndpointAndHealthPath() {
        try (HttpBackend backend = HttpBackend.start("1.0.0")) {
            Handle handle = handle(backend.uri(), ProcessHandle.current().pid(), NODE);

            assertThat(driver.readiness(handle).isYes()).isTrue();
            backend.health.set(503);
            Answer unhealthy = driver.readiness(handle);

            assertThat(unhealthy.status()).isEqualTo(Answer.Status.NOT_YET);
            assertThat(unhealthy.reason()).contains(backend.endpoint() + "/health", "503");
            assertThat(backend.paths()).as("what the driver called").containsExactly("/health", "/health");
        }
    }

    @Test
    void shouldAnswerNoOnceTheProcessOfAnUnhealthyInstanceExited() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        try (HttpBackend backend = HttpBackend.start("1.0.0")) {
            backend.health.set(503);
            Handle handle = handle(backend.uri(), exited.pid(), NODE);

            Answer answer = driver.readiness(handle);

            assertThat(answer.isNo()).isTrue();
            assertThat(answer.reason()).contains("exited");
            assertThat(driver.liveness(handle).isNo()).isTrue();
        }
    }

    @Test
    void shouldStartOnAPortItChoseAndBeReachedOnlyThroughTheHandle() throws Exception {
        Handle handle = start("sample-9-9-9", "9.9.9");

        assertThat(handle.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + handle.get(ProcessRuntimeDriver.PORT)));
        assertThat(handle.data()).containsEntry(ProcessRuntimeDriver.NODE, NODE)
                .containsEntry(ProcessRuntimeDriver.HEALTH, "/health").containsKey(ProcessRuntimeDriver.PID);
        await().atMost(TIMEOUT).until(() -> driver.readiness(handle).isYes());
        assertThat(get(handle.endpoint() + "/version")).isEqualTo("9.9.9");
        assertThat(driver.liveness(handle).isYes()).isTrue();

        driver.stop(handle);

        assertThat(driver.liveness(handle).isNo()).isTrue();
        assertThat(WORK_DIR.resolve("sample-9-9-9.pid")).doesNotExist();
    }

    @Test
    void shouldAdoptARunningInstanceAndStartALostOneAgainOnItsPort() throws Exception {
        Handle handle = start("sample-9-9-8", "9.9.8");
        await().atMost(TIMEOUT).until(() -> driver.readiness(handle).isYes());
        Launch launch = launch("sample-9-9-8", "9.9.8");

        assertThat(driver.recover(handle, launch)).as("adopted as it is").isEqualTo(handle);
        ProcessHandle process = ProcessHandle.of(Long.parseLong(handle.get(ProcessRuntimeDriver.PID))).orElseThrow();
        process.destroyForcibly();
        process.onExit().get();
        Handle again = driver.recover(handle, launch);
        started.add(again);

        assertThat(again.endpoint()).isEqualTo(handle.endpoint());
        assertThat(again.get(ProcessRuntimeDriver.PID)).isNotEqualTo(handle.get(ProcessRuntimeDriver.PID));
        await().atMost(TIMEOUT).until(() -> driver.readiness(again).isYes());
        assertThat(get(again.endpoint() + "/version")).isEqualTo("9.9.8");
    }

    @Test
    void shouldRunEveryThreadOfAnInstanceAtTheConfiguredNicenessUnderItsOwnPid() throws Exception {
        ProcessRuntimeDriver lower = new ProcessRuntimeDriver(WORK_DIR, NODE, Duration.ofSeconds(2), 7);
        Handle handle = lower.start(launch("sample-nice-7", "9.9.7"));
        started.add(handle);
        await().atMost(TIMEOUT).until(() -> lower.readiness(handle).isYes());
        long pid = Long.parseLong(handle.get(ProcessRuntimeDriver.PID));

        assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline")))
                .as("nice(1) execs the command: the handle's pid is the instance's JVM").contains("sample-app.jar");
        assertThat(threadNiceness(pid)).as("all the JVM's threads, not only its first").hasSizeGreaterThan(5)
                .containsOnly(Math.min(ProcessRuntimeDriver.MAX_NICENESS, ownNiceness() + 7));
        assertThat(get(handle.endpoint() + "/version")).isEqualTo("9.9.7");
    }

    @Test
    void shouldFailTheStartOfAProgramThatIsNotThereThroughNiceAsWithout() {
        for (int niceness : new int[] {0, 7}) {
            ProcessRuntimeDriver driver = new ProcessRuntimeDriver(WORK_DIR, NODE, Duration.ofSeconds(2), niceness);
            for (String program : new String[] {"/nonexistent/bin/app", "no-such-program-anywhere"}) {
                Launch launch = new Launch("missing-" + niceness, "1.0.0", SAMPLE_JAR.toString(),
                        new RuntimeSpec("process", List.of(program, "--flag"), Map.of()), "/health");
                assertThatThrownBy(() -> started.add(driver.start(launch)))
                        .as("%s at niceness %d", program, niceness).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("cannot start missing-" + niceness)
                        .hasMessageContaining("Cannot run program \"" + program + "\"");
            }
        }
    }

    @Test
    void shouldRunAnInstanceAtTheDeployersOwnPriorityWithNicenessZero() throws Exception {
        Handle handle = start("sample-nice-0", "9.9.6");
        await().atMost(TIMEOUT).until(() -> driver.readiness(handle).isYes());

        assertThat(threadNiceness(Long.parseLong(handle.get(ProcessRuntimeDriver.PID)))).containsOnly(ownNiceness());
    }

    @Test
    void shouldRefuseANicenessOutsideWhatSetpriorityTakesOrAboveTheDeployersPriority() {
        for (int niceness : new int[] {-20, -1, 20, 40, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new ProcessRuntimeDriver(WORK_DIR, NODE, Duration.ofSeconds(2), niceness))
                    .as("niceness %d", niceness)
                    .withMessageContaining("switchback.deployer.instance-niceness must be between 0 and 19");
        }
        for (int niceness : new int[] {0, 1, 10, 19}) {
            assertThat(new ProcessRuntimeDriver(WORK_DIR, NODE, Duration.ofSeconds(2), niceness).name()).isEqualTo("process");
        }
    }

    @Test
    void shouldLeaveAnotherNodesProcessToThatNode() {
        Handle elsewhere = handle(URI.create("http://127.0.0.1:1"), ProcessHandle.current().pid(), "node-b");

        assertThat(driver.reaches(elsewhere)).isFalse();
        assertThat(driver.liveness(elsewhere).status()).as("a pid means nothing on another node")
                .isEqualTo(Answer.Status.NOT_YET);
        assertThat(driver.reaches(handle(URI.create("http://127.0.0.1:1"), 1, NODE))).isTrue();
    }

    private Handle start(String id, String version) {
        assertThat(SAMPLE_JAR).as("sample-app is built before the deployer").exists();
        Handle handle = driver.start(launch(id, version));
        started.add(handle);
        return handle;
    }

    private static Launch launch(String id, String version) {
        return new Launch(id, version, SAMPLE_JAR.toString(),
                new RuntimeSpec("process", List.of("java", "-jar", "{artifact}"), Map.of()), "/health");
    }

    private static Handle handle(URI endpoint, long pid, String node) {
        return new Handle("test", endpoint, Map.of(ProcessRuntimeDriver.PID, Long.toString(pid),
                ProcessRuntimeDriver.PORT, Integer.toString(endpoint.getPort()), ProcessRuntimeDriver.NODE, node,
                ProcessRuntimeDriver.HEALTH, "/health"));
    }

    /** Each thread's niceness, field 19 of its /proc stat line (counted after the command's closing parenthesis). */
    private static List<Integer> threadNiceness(long pid) throws Exception {
        List<Integer> niceness = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                niceness.add(niceness(Files.readString(task.resolve("stat"))));
            }
        }
        return niceness;
    }

    private static int ownNiceness() throws Exception {
        return niceness(Files.readString(Path.of("/proc/self/stat")));
    }

    private static int niceness(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
