package dev.switchback.switcher.router;

import dev.switchback.infra.Ports;
import dev.switchback.infra.test.HttpBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** What the router contracts share: a router per test with its state in a temp directory, a free port, blue and green. */
abstract class RouterFixture {

    static final String ROUTE = "app.test";

    @TempDir
    Path temp;

    Router router;
    int port;
    HttpBackend blue;
    HttpBackend green;

    private TestRouters.Driver driver;

    /** The {@link TestRouters} driver the fixture starts, unless the subclass starts its router itself. */
    String driverName() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " names no driver and starts none");
    }

    /** A router whose state lives in the given directory or in the subclass (the fake's cluster). */
    Router start(Path work) {
        driver = TestRouters.driver(driverName(), work);
        return driver.router();
    }

    /** Stops a router and what it serves. */
    void stop(Router router) {
        driver.close();
    }

    @BeforeEach
    void startRouter() throws IOException {
        // nginx's workers run as nobody and must reach the prefix under it.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        router = start(temp.resolve("work"));
        port = Ports.free();
        blue = HttpBackend.start("1.0.0");
        green = HttpBackend.start("2.0.0");
    }

    @AfterEach
    void stopRouter() {
        stop(router);
        blue.close();
        green.close();
    }
}
