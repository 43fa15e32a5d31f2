package dev.switchback.switcher.route.service;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CanaryStepStarted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.CutoverStarted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Measurement;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RolloutSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Moves traffic from blue to green (at once, or in canary steps), watches green through the bake, promotes it or
 * switches back to blue in one step, and records where the traffic is so a restart serves the same.
 */
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

    /**
     * Re-asserts every recorded route, canary weights included, so a restarted switcher serves what it served. Each
     * route is read under the same row lock a cutover takes: the consumer may already be cutting over when this runs,
     * and the router must end up where the database says, not where it said a moment before.
     */
    void reassert(@Observes StartupEvent startup) {
        List<Route.Key> keys = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> Route.<Route>listAll().stream().map(route -> route.id).toList());
        for (Route.Key key : keys) {
            try {
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> reassert(key));
            } catch (RuntimeException e) {
                LOG.errorf("cannot re-assert route %s: %s", key.name(), e.getMessage());
            }
        }
    }

    private void reassert(Route.Key key) {
        Route route = Route.findById(key, LockModeType.PESSIMISTIC_WRITE);
        Router router = router(route.driver);
        router.open(route.id.name(), route.port);
        Cutover canary = Cutover.find("service = ?1 and environment = ?2 and state = ?3", route.id.service(),
                route.id.environment(), Cutover.CANARY).firstResult();
        if (canary != null) {
            router.setWeights(route.id.name(), weights(canary.fromEndpoint, canary.toEndpoint, canary.greenWeight));
        } else if (route.liveEndpoint != null) {
            router.route(route.id.name(), route.liveEndpoint);
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
        RolloutSpec rollout = ready.spec().rolloutOrDefault();
        // A canary needs a blue to share the traffic with; a first release takes it all at once.
        boolean canary = rollout.isCanary() && from != null;
        int firstWeight = canary ? rollout.steps().get(0).weight() : 100;
        outbox.publish(new CutoverStarted(release, port, from, ready.endpoint()));
        try {
            switchTo(router, key.name(), weights(from, ready.endpoint(), firstWeight));
        } catch (RuntimeException e) {
            if (from != null) {
                router.route(key.name(), from);
            }
            outbox.publish(new CutoverFailed(release, e.getMessage()));
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
        cutover.version = release.version();
        cutover.healthPath = ready.spec().health().path();
        cutover.rollout = EventCodec.toJson(rollout);
        cutover.createdAt = at;
        cutover.updatedAt = at;
        if (route.updatedAt == null) {
            route.updatedAt = at;
        }
        route.persist();
        if (canary) {
            cutover.state = Cutover.CANARY;
            cutover.step = 0;
            cutover.greenWeight = firstWeight;
            cutover.windowEndsAt = at.plusSeconds(rollout.steps().get(0).pauseSeconds());
            cutover.persist();
            outbox.publish(new CanaryStepStarted(release, port, 1, rollout.steps().size(), firstWeight,
                    rollout.steps().get(0).pauseSeconds()));
        } else {
            // Green takes it all now; takeAll decides between the bake and promotion.
            cutover.state = Cutover.BAKING;
            cutover.persist();
            takeAll(cutover, route, rollout, at);
        }
    }

    /** Green takes all traffic: the cutover is complete and the bake starts (or, without one, green is promoted). */
    private void takeAll(Cutover cutover, Route route, RolloutSpec rollout, Instant at) {
        cutover.step = rollout.isCanary() ? rollout.steps().size() : 0;
        cutover.greenWeight = 100;
        cutover.windowPassed = 0;
        cutover.updatedAt = at;
        route.liveEndpoint = cutover.toEndpoint;
        route.liveVersion = cutover.version;
        route.liveReleaseId = cutover.releaseId;
        route.updatedAt = at;
        outbox.publish(new CutoverCompleted(ref(cutover), cutover.port, cutover.fromEndpoint, cutover.toEndpoint));
        if (cutover.fromEndpoint == null) {
            promote(cutover, "first release: there is no blue to keep warm", null);
        } else if (rollout.bake() == 0) {
            promote(cutover, "no bake in the service spec", null);
        } else {
            cutover.state = Cutover.BAKING;
            cutover.windowEndsAt = at.plusSeconds(rollout.bake());
        }
    }

    private void promote(Cutover cutover, String reason, Measurement total) {
        cutover.state = Cutover.PROMOTED;
        cutover.windowEndsAt = null;
        cutover.updatedAt = clock.instant();
        outbox.publish(new BakeCompleted(ref(cutover), reason, cutover.passedIntervals, cutover.inconclusiveIntervals, total));
    }

    /** Ends a canary or a bake now, successfully: green takes all traffic and blue may be retired. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void promote(PromoteRequested request) {
        Cutover cutover = Cutover.findById(request.release().id());
        if (cutover == null || !cutover.isWatched()) {
            LOG.infof("promotion of %s ignored: %s", request.release().id(),
                    cutover == null ? "it was never cut over" : "it is " + cutover.state);
            return;
        }
        Route route = lockRoute(cutover);
        if (!cutover.isWatched()) {
            return;
        }
        if (Cutover.CANARY.equals(cutover.state)) {
            switchTo(router(route.driver), route.id.name(), Map.of(cutover.toEndpoint, 100));
            RolloutSpec rollout = rollout(cutover);
            takeAll(cutover, route, rollout, clock.instant());
            if (!cutover.isWatched()) {
                return;
            }
        }
        promote(cutover, "promoted on request: " + request.reason(), null);
    }

    /**
     * One analysis interval of a watched cutover: a failing interval switches back to blue at once; at the end of a
     * canary step or of the bake, the next step, the promotion, or — when no interval passed — the switch back.
     *
     * @param interval what green did since the previous interval
     * @param window   what green did since the step or bake began
     */
    @Transactional
    public void judge(String releaseId, Measurement interval, Measurement window) {
        Cutover cutover = Cutover.findById(releaseId);
        if (cutover == null || !cutover.isWatched()) {
            return;
        }
        Route route = lockRoute(cutover);
        if (!cutover.isWatched()) {
            return;
        }
        long decided = System.nanoTime();
        RolloutSpec rollout = rollout(cutover);
        AnalysisSpec thresholds = rollout.analysisOrDefault();
        if (interval != null) {
            switch (interval.verdict()) {
                case Measurement.FAIL -> {
                    switchBack(cutover, route, interval, thresholds, decided);
                    return;
                }
                case Measurement.PASS -> {
                    cutover.passedIntervals++;
                    cutover.windowPassed++;
                }
                default -> cutover.inconclusiveIntervals++;
            }
        }
        Instant now = clock.instant();
        if (cutover.windowEndsAt == null || now.isBefore(cutover.windowEndsAt)) {
            return;
        }
        if (cutover.windowPassed == 0) {
            // Too little data is never a pass: the safe color is blue.
            Measurement inconclusive = window == null
                    ? new Measurement(cutover.toEndpoint, 0, 0, 0, 0, Measurement.INCONCLUSIVE, "nothing was measured")
                    : new Measurement(window.endpoint(), window.requests(), window.errors(), window.errorRate(),
                    window.p99Millis(), Measurement.INCONCLUSIVE, "no interval of the "
                    + (Cutover.CANARY.equals(cutover.state) ? "canary step" : "bake") + " had enough requests to pass: "
                    + window.requests() + " request(s) in all");
            switchBack(cutover, route, inconclusive, thresholds, decided);
            return;
        }
        if (Cutover.CANARY.equals(cutover.state)) {
            int next = cutover.step + 1;
            if (next < rollout.steps().size()) {
                RolloutSpec.CanaryStep step = rollout.steps().get(next);
                switchTo(router(route.driver), route.id.name(), weights(cutover.fromEndpoint, cutover.toEndpoint, step.weight()));
                cutover.step = next;
                cutover.greenWeight = step.weight();
                cutover.windowPassed = 0;
                cutover.windowEndsAt = now.plusSeconds(step.pauseSeconds());
                cutover.updatedAt = now;
                outbox.publish(new CanaryStepStarted(ref(cutover), cutover.port, next + 1, rollout.steps().size(),
                        step.weight(), step.pauseSeconds()));
            } else {
                switchTo(router(route.driver), route.id.name(), Map.of(cutover.toEndpoint, 100));
                takeAll(cutover, route, rollout, now);
            }
            return;
        }
        promote(cutover, "bake of " + rollout.bake() + " s passed: " + cutover.passedIntervals + " interval(s) passed, "
                + cutover.inconclusiveIntervals + " inconclusive, none failed", window);
    }

    /**
     * Locks the cutover's route (the lock every switch of that route takes) and reads the cutover again under it: a
     * switch another thread committed meanwhile is seen, where finding it again would return the state read before.
     */
    private static Route lockRoute(Cutover cutover) {
        Route route = Route.findById(new Route.Key(cutover.service, cutover.environment), LockModeType.PESSIMISTIC_WRITE);
        Cutover.getEntityManager().refresh(cutover);
        return route;
    }

    /** Analysis failed: all traffic back on blue now, with the measured values that decided it. */
    private void switchBack(Cutover cutover, Route route, Measurement measurement, AnalysisSpec thresholds, long decided) {
        outbox.publish(new AnalysisFailed(ref(cutover), measurement, thresholds));
        rollBack(cutover, route, "analysis " + measurement.verdict() + ": " + measurement.reason(), decided);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void rollBack(RollbackRequested request) {
        long decided = System.nanoTime();
        ReleaseRef release = request.release();
        Cutover cutover = Cutover.findById(release.id());
        if (cutover == null) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " was never cut over"));
            return;
        }
        Route route = lockRoute(cutover);
        if (Cutover.ROLLED_BACK.equals(cutover.state)) {
            LOG.infof("release %s was rolled back already", release.id());
            return;
        }
        if (cutover.fromEndpoint == null) {
            outbox.publish(new RollbackFailed(release, "it was the first release: there is no blue to go back to"));
            return;
        }
        if (Cutover.PROMOTED.equals(cutover.state)) {
            outbox.publish(new RollbackFailed(release, "release " + release.id() + " was promoted and blue "
                    + (cutover.fromVersion == null ? "" : cutover.fromVersion + " ") + "was retired; ship the version"
                    + " to go back to as a new release"));
            return;
        }
        rollBack(cutover, route, request.reason(), decided);
    }

    /** Back to blue in one step: no re-deploy, no re-analysis; green stays up, isolated, for analysis. */
    private void rollBack(Cutover cutover, Route route, String reason, long decided) {
        ReleaseRef release = ref(cutover);
        boolean carriesTraffic = Cutover.CANARY.equals(cutover.state)
                || (route != null && Objects.equals(route.liveReleaseId, release.id()));
        if (route == null || !carriesTraffic) {
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
        try {
            switchTo(router(route.driver), route.id.name(), Map.of(cutover.fromEndpoint, 100));
        } catch (RuntimeException e) {
            outbox.publish(new RollbackFailed(release, e.getMessage()));
            return;
        }
        long switchMillis = (System.nanoTime() - decided) / 1_000_000;
        Instant at = clock.instant();
        cutover.state = Cutover.ROLLED_BACK;
        cutover.windowEndsAt = null;
        cutover.updatedAt = at;
        route.liveEndpoint = cutover.fromEndpoint;
        route.liveVersion = cutover.fromVersion;
        route.liveReleaseId = cutover.fromReleaseId;
        route.updatedAt = at;
        outbox.publish(new RollbackCompleted(release, route.port, cutover.fromEndpoint, cutover.fromVersion, reason,
                switchMillis));
    }

    /**
     * A release ended without going live (its deadline passed, or it was cancelled). If traffic moved to its green
     * meanwhile, it goes back to blue: traffic stays on the healthy color.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void releaseEnded(ReleaseRef release, String reason) {
        ended.record(release.id(), reason);
        Cutover cutover = Cutover.findById(release.id());
        if (cutover != null && cutover.isWatched()) {
            rollBack(new RollbackRequested(release, "the release ended: " + reason));
        }
    }

    public List<Route> routes() {
        return Route.listAll();
    }

    /**
     * A cutover analysis watches, as the analysis loop needs it.
     *
     * @param releaseId  the release
     * @param route      its route's name
     * @param driver     its router
     * @param port       its router's port
     * @param green      green's endpoint
     * @param window     the step or bake under way: a new value starts a new window
     * @param rollout    strategy, bake and thresholds
     */
    public record Watched(String releaseId, String route, String driver, int port, String green, String window,
                          RolloutSpec rollout) {
    }

    /** The cutovers analysis watches now. */
    @Transactional
    public List<Watched> watched() {
        return Cutover.watched().stream().map(c -> {
            Route route = Route.findById(new Route.Key(c.service, c.environment));
            return new Watched(c.releaseId, route.id.name(), route.driver, c.port, c.toEndpoint, c.state + "/" + c.step,
                    rollout(c));
        }).toList();
    }

    public Router router(String name) {
        for (Instance.Handle<Router> handle : routers.handles()) {
            if (handle.get().name().equals(name)) {
                return handle.get();
            }
        }
        throw new IllegalArgumentException("no router driver named " + name);
    }

    public static RolloutSpec rollout(Cutover cutover) {
        return cutover.rollout == null ? new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), 0, null)
                : EventCodec.fromJson(cutover.rollout, RolloutSpec.class);
    }

    /** Sets the weights and checks the router reports them: a switch is done only when the router says so. */
    private static void switchTo(Router router, String route, Map<String, Integer> weights) {
        router.setWeights(route, weights);
        Map<String, Integer> served = router.weights(route);
        if (!served.equals(weights)) {
            throw new IllegalStateException("router reports " + served + " after switching " + route + " to " + weights);
        }
    }

    private static Map<String, Integer> weights(String blue, String green, int greenWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (blue != null && greenWeight < 100) {
            weights.put(blue, 100 - greenWeight);
        }
        weights.put(green, blue == null ? 100 : greenWeight);
        return weights;
    }

    private static ReleaseRef ref(Cutover cutover) {
        return new ReleaseRef(cutover.releaseId, cutover.service, cutover.environment, cutover.version);
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
