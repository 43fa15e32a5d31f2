package dev.switchback.switcher.router;

import dev.switchback.switcher.NginxInstalled;
import dev.switchback.switcher.router.nginx.NginxRouter;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;

/** A real nginx's proxying, as users see it. */
@ExtendWith(NginxInstalled.class)
class NginxProxyTest extends ProxyContract {

    @Override
    Router start(Path work) {
        return new NginxRouter(TestRouters.switcher(), TestRouters.nginx(work, Duration.ofSeconds(3)));
    }

    @Override
    void stop(Router router) {
        ((NginxRouter) router).close();
    }
}
