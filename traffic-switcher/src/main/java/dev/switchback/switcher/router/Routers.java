package dev.switchback.switcher.router;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/** The router drivers this switcher has, found by the name a service spec gives. */
@ApplicationScoped
public class Routers {

    private final Instance<Router> routers;

    public Routers(@Any Instance<Router> routers) {
        this.routers = routers;
    }

    /** The router of that name; refused when there is none. */
    public Router named(String name) {
        for (Instance.Handle<Router> handle : routers.handles()) {
            if (handle.get().name().equals(name)) {
                return handle.get();
            }
        }
        throw new IllegalArgumentException("no router driver named " + name);
    }
}
