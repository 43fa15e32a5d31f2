package dev.switchback.switcher.router;

import dev.switchback.switcher.NginxInstalled;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real nginx's proxying, as users see it. */
@ExtendWith(NginxInstalled.class)
class NginxProxyTest extends ProxyContract {

    @Override
    String driverName() {
        return "nginx";
    }
}
