package dev.switchback.switcher.router;

import dev.switchback.switcher.NginxInstalled;
import dev.switchback.switcher.router.nginx.NginxRouter;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;

/** The router contract through a real nginx: a switch returns once nginx serves it, so it verifies "yes" at once. */
@ExtendWith(NginxInstalled.class)
class NginxRouterContractTest extends RouterContract {

    @Override
    Router start(Path work) {
        return new NginxRouter(TestRouters.switcher(), TestRouters.nginx(work, Duration.ofSeconds(3)));
    }

    /** A restarted switcher adopts the nginx its predecessor left running, which keeps serving meanwhile. */
    @Override
    Router restart(Router previous, Path work) {
        return start(work);
    }

    @Override
    void stop(Router router) {
        ((NginxRouter) router).close();
    }

    @Override
    boolean settlesAtOnce() {
        return true;
    }
}
