package dev.switchback.switcher.router;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.switcher.NginxInstalled;
import dev.switchback.infra.Ports;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each router switches back and forth under steady load without failing a single request. */
class RouterSwitchUnderLoadTest {

    private static final String ROUTE = "app.test";
    private static final int CLIENTS = 4;
    private static final int ROUND_TRIPS = 20;
    private static final long PAUSE_MILLIS = 50;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "nginx"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldFailNoRequestWhileCuttingOverAndRollingBackUnderLoad(String name) throws Exception {
        if (name.equals("nginx")) {
            NginxInstalled.assume();
        }
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (HttpBackend blue = HttpBackend.start("1.0.0"); HttpBackend green = HttpBackend.start("2.0.0");
             TestRouters.Driver driver = TestRouters.driver(name, temp.resolve("nginx"))) {
            Router router = driver.router();
            int port = Ports.free();
            router.ensureRoute(ROUTE, TestRouters.at(port));
            router.route(ROUTE, blue.endpoint());
            Load load = Load.start(port, "/version", CLIENTS, Set.of(blue.version(), green.version()));

            for (int i = 0; i < ROUND_TRIPS; i++) {
                switchTo(router, port, green, "cutover " + i);
                switchTo(router, port, blue, "rollback " + i);
            }

            Load.Result result = load.stop();
            System.out.printf("%s: %d requests in %d ms, %d failed, %d sent again after a keep-alive connection closed%n",
                    name, result.requests(), result.elapsed().toMillis(), result.failed(), result.retries());
            assertThat(result.failures()).as("%s: failed requests of %d", name, result.requests()).isEmpty();
            assertThat(result.failed()).isZero();
            assertThat(result.requests()).as(name + ": requests under load").isGreaterThan(500);
        }
    }

    private static void switchTo(Router router, int port, HttpBackend target, String what) throws Exception {
        router.route(ROUTE, target.endpoint());
        for (int i = 0; i < 3; i++) {
            assertThat(KeepAliveClient.getOnce(port, "/version").body()).as(what).isEqualTo(target.version());
        }
        assertThat(router.current(ROUTE)).as(what).contains(target.endpoint());
        Thread.sleep(PAUSE_MILLIS);
    }
}
