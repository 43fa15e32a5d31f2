package dev.switchback.switcher.router;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;

/** The router drivers this switcher has, found by the name a service spec gives. */
@ApplicationScoped
public class Routers {

    private final Iterable<Router> routers;

    @Inject
    public Routers(@Any Instance<Router> routers) {
        this.routers = routers;
    }

    /** Routers given by hand, outside CDI. */
    public Routers(List<Router> routers) {
        this.routers = List.copyOf(routers);
    }

    /** The router of that name; refused when there is none. */
    public Router named(String name) {
        for (Router router : routers) {
            if (router.name().equals(name)) {
                return router;
            }
        }
        throw new IllegalArgumentException("no router driver named " + name);
    }
}
