package dev.switchback.switcher.route.service;

import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.CutoverStarted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.route.Cutover;
import dev.switchback.switcher.route.Route;
import dev.switchback.switcher.router.Router;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Moves traffic from blue to green, and back, through the service's router, and records where it is. */
@ApplicationScoped
public class SwitchService {

    private static final Logger LOG = Logger.getLogger(SwitchService.class);

    private final Instance<Router> routers;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final Clock clock;
    private final SwitcherConfig config;
    private final HttpClient http;

    public SwitchService(@Any Instance<Router> routers, EndedReleases ended, Outbox outbox, Clock clock,
                         SwitcherConfig config) {
        this.routers = routers;
        this.ended = ended;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.healthTimeout()).build();
    }

    /** Re-asserts every recorded route, so a restarted switcher serves exactly what it served before. */
    @Transactional
    void reassert(@Observes StartupEvent startup) {
        for (Route route : Route.<Route>listAll()) {
            try {
                Router router = router(route.driver);
                router.open(route.id.name(), route.port);
                if (route.liveEndpoint != null) {
                    router.route(route.id.name(), route.liveEndpoint);
                }
            } catch (RuntimeException e) {
                LOG.errorf("cannot re-assert route %s: %s", route.id.name(), e.getMessage());
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void cutOver(GreenReady ready) {
        ReleaseRef release = ready.release();
        Cutover done = Cutover.findById(release.id());
        if (done != null) {
            LOG.infof("release %s was cut over already", release.id());
            return;
        }
        if (ended.isEnded(release.id())) {
            outbox.publish(new CutoverFailed(release, "the release already ended; its green gets no traffic"));
            return;
        }
        int port = ready.spec().router().port();
        String driver = ready.spec().router().driver();
        Route.Key key = new Route.Key(release.service(), release.environment());
        Route route = Route.findById(key, LockModeType.PESSIMISTIC_WRITE);
        Router router;
        try {
            router = router(driver);
            if (route == null) {
                Route other = Route.find("port", port).firstResult();
                if (other != null) {
                    throw new IllegalStateException("port " + port + " is already routed for " + other.id.name());
                }
                route = new Route();
                route.id = key;
                route.driver = driver;
                route.port = port;
            } else if (route.port != port || !route.driver.equals(driver)) {
                throw new IllegalStateException("moving " + key.name() + " from " + route.driver + ":" + route.port
                        + " to " + driver + ":" + port + " is not supported");
            }
            router.open(key.name(), port);
        } catch (RuntimeException e) {
            outbox.publish(new CutoverFailed(release, e.getMessage()));
            return;
        }
        String from = route.liveEndpoint;
        outbox.publish(new CutoverStarted(release, port, from, ready.endpoint()));
        router.route(key.name(), ready.endpoint());
        String now = router.current(key.name()).orElse(null);
        if (!ready.endpoint().equals(now)) {
            if (from != null) {
                router.route(key.name(), from);
            }
            outbox.publish(new CutoverFailed(release, "router reports " + now + " after switching to " + ready.endpoint()));
            return;
        }
        Instant at = clock.instant();
        Cutover cutover = new Cutover();
        cutover.releaseId = release.id();
        cutover.service = release.service();
        cutover.environment = release.environment();
        cutover.port = port;
        cutover.fromEndpoint = from;
        cutover.fromVersion = route.liveVersion;
        cutover.fromReleaseId = route.liveReleaseId;
        cutover.toEndpoint = ready.endpoint();
        cutover.healthPath = ready.spec().health().path();
        cutover.state = Cutover.LIVE;
        cutover.createdAt = at;
        cutover.updatedAt = at;
        cutover.persist();
        route.liveEndpoint = ready.endpoint();
        route.liveVersion = release.version();
        route.liveReleaseId = release.id();
        route.updatedAt = at;
        route.persist();
        outbox.publish(new CutoverCompleted(release, port, from, ready.endpoint()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void rollBack(RollbackRequested request) {
        ReleaseRef release = request.release();
        Cutover cutover = Cutover.findById(release.id());
        if (cutover == null) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " was never cut over"));
            return;
        }
        if (Cutover.ROLLED_BACK.equals(cutover.state)) {
            LOG.infof("release %s was rolled back already", release.id());
            return;
        }
        Route route = Route.findById(new Route.Key(cutover.service, cutover.environment), LockModeType.PESSIMISTIC_WRITE);
        if (route == null || !Objects.equals(route.liveReleaseId, release.id())) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " does not take the traffic now"));
            return;
        }
        if (cutover.fromEndpoint == null) {
            outbox.publish(new RollbackFailed(release, "it was the first release: there is no blue to go back to"));
            return;
        }
        String unhealthy = unhealthy(cutover.fromEndpoint + cutover.healthPath);
        if (unhealthy != null) {
            outbox.publish(new RollbackFailed(release, "blue at " + cutover.fromEndpoint + " is not healthy: " + unhealthy));
            return;
        }
        router(route.driver).route(route.id.name(), cutover.fromEndpoint);
        Instant at = clock.instant();
        cutover.state = Cutover.ROLLED_BACK;
        cutover.updatedAt = at;
        route.liveEndpoint = cutover.fromEndpoint;
        route.liveVersion = cutover.fromVersion;
        route.liveReleaseId = cutover.fromReleaseId;
        route.updatedAt = at;
        outbox.publish(new RollbackCompleted(release, route.port, cutover.fromEndpoint, cutover.fromVersion));
    }

    /**
     * A release ended without going live (its deadline passed, or it was cancelled). If traffic moved to its green
     * meanwhile, it goes back to blue: traffic stays on the healthy color.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseEnded(ReleaseRef release, String reason) {
        ended.record(release.id(), reason);
        Cutover cutover = Cutover.findById(release.id());
        if (cutover != null && Cutover.LIVE.equals(cutover.state)) {
            rollBack(new RollbackRequested(release, "the release ended: " + reason));
        }
    }

    public List<Route> routes() {
        return Route.listAll();
    }

    private Router router(String name) {
        for (Instance.Handle<Router> handle : routers.handles()) {
            if (handle.get().name().equals(name)) {
                return handle.get();
            }
        }
        throw new IllegalArgumentException("no router driver named " + name);
    }

    /** Returns null when the endpoint answers 2xx, else what was wrong. */
    private String unhealthy(String url) {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(config.healthTimeout()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? null : "answered " + status;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
