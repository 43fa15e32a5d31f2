package dev.switchback.switcher.router;

import dev.switchback.switcher.router.embedded.EmbeddedRouter;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/** The router contract through the embedded proxy: a switch is one swap, so it verifies "yes" at once. */
class EmbeddedRouterContractTest extends RouterContract {

    private final Map<Router, Vertx> vertxes = new IdentityHashMap<>();

    @Override
    Router start(Path work) {
        Vertx vertx = Vertx.vertx();
        EmbeddedRouter started = new EmbeddedRouter(vertx, TestRouters.switcher());
        vertxes.put(started, vertx);
        return started;
    }

    /** The embedded router's routes live in the switcher's process: a restart starts from none. */
    @Override
    Router restart(Router previous, Path work) {
        stop(previous);
        return start(work);
    }

    @Override
    void stop(Router router) {
        Vertx vertx = vertxes.remove(router);
        if (vertx != null) {
            TestRouters.close(vertx);
        }
    }

    @Override
    boolean settlesAtOnce() {
        return true;
    }
}
