package dev.switchback.switcher.route.service;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CanaryStepStarted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.CutoverStarted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Measurement;
import dev.switchback.switcher.analysis.AnalysisHistory;
import dev.switchback.switcher.analysis.CutoverBaselines;
import dev.switchback.switcher.metrics.MetricsQuery;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.messaging.EndedReleases;
import dev.switchback.messaging.Outbox;
import dev.switchback.messaging.TraceContext;
import dev.switchback.switcher.analysis.Verdict;
import dev.switchback.switcher.route.Cutover;
import dev.switchback.switcher.route.CutoverState;
import dev.switchback.switcher.route.Route;
import dev.switchback.switcher.route.service.CutoverProgress.Decision;
import dev.switchback.switcher.route.service.CutoverProgress.Progress;
import dev.switchback.switcher.router.Weights;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out a cutover's decisions: cuts over to a ready green once per release, judges analysis intervals, walks
 * the canary steps and promotes. What to do next is {@link CutoverProgress}'s; moving traffic is
 * {@link TrafficShift}'s; going back to blue is {@link Rollback}'s. Every decision is taken on the cutover as read
 * under its route's row lock, so two replicas (or the consumer and the analysis loop) never both act on it.
 */
@ApplicationScoped
public class SwitchService {

    private static final Logger LOG = Logger.getLogger(SwitchService.class);

    private final TrafficShift shift;
    private final Rollback rollback;
    private final EndedReleases ended;
    private final Outbox outbox;
    private final Clock clock;
    private final AnalysisHistory history;
    private final CutoverBaselines baselines;

    private final SwitchMetrics metrics;
    private final TraceContext trace;

    public SwitchService(TrafficShift shift, Rollback rollback, EndedReleases ended, Outbox outbox, Clock clock,
                         AnalysisHistory history, CutoverBaselines baselines, SwitchMetrics metrics, TraceContext trace) {
        this.trace = trace;
        this.baselines = baselines;
        this.history = history;
        this.metrics = metrics;
        this.shift = shift;
        this.rollback = rollback;
        this.ended = ended;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void cutOver(GreenReady ready) {
        ReleaseRef release = ready.release();
        RouterSpec settings = ready.spec().router();
        Route.Key key = new Route.Key(release.service(), release.environment());
        // The inbox drops a redelivered event; a second green-ready of the same release (another event) is refused
        // here, checked under the route's lock, so one handled at the same time on another replica waits, then sees
        // the cutover the first committed.
        Route route = Route.findById(key, LockModeType.PESSIMISTIC_WRITE);
        if (Cutover.findById(release.id()) != null) {
            LOG.infof("release %s was cut over already", release.id());
            return;
        }
        if (ended.isEnded(release.id())) {
            outbox.publish(new CutoverFailed(release, "the release already ended; its green gets no traffic"));
            return;
        }
        try {
            if (route == null) {
                Route other = Route.find("port", settings.port()).firstResult();
                if (other != null) {
                    throw new IllegalStateException("port " + settings.port() + " is already routed for " + other.id.name());
                }
                route = new Route();
                route.id = key;
                route.driver = settings.driver();
                route.port = settings.port();
                route.settings = settings.settings() == null ? null : EventCodec.toJson(settings.settings());
            } else if (route.port != settings.port() || !route.driver.equals(settings.driver())) {
                throw new IllegalStateException("moving " + key.name() + " from " + route.driver + ":" + route.port
                        + " to " + settings.driver() + ":" + settings.port() + " is not supported");
            }
            shift.ensure(key.name(), route.routerSpec());
        } catch (RuntimeException e) {
            outbox.publish(new CutoverFailed(release, e.getMessage()));
            return;
        }
        String from = route.liveEndpoint;
        RolloutSpec rollout = ready.spec().rolloutOrDefault();
        Instant at = clock.instant();
        Decision start = CutoverProgress.start(rollout, from != null, at);
        outbox.publish(new CutoverStarted(release, route.port, from, ready.endpoint(), key.name()));
        baselines.beforeSwitch(release.id(), new MetricsQuery(key.name(), route.driver, ready.endpoint(), release.service(),
                release.environment(), MetricsQuery.GREEN, release.id(), release.version(),
                rollout.analysisOrDefault().metricsOrDefault()));
        long shiftStart = System.nanoTime();
        TrafficShift.Outcome moved = shift.shift(route.driver, key.name(),
                Weights.of(from, ready.endpoint(), start.next().greenWeight()), fallback(from, start));
        metrics.cutoverSwitched(moved.done(), System.nanoTime() - shiftStart);
        if (!moved.done()) {
            if (from != null) {
                shift.restore(route.driver, key.name(), Weights.of(null, from, 100));
            }
            outbox.publish(new CutoverFailed(release, moved.reason()));
            return;
        }
        Cutover cutover = new Cutover();
        cutover.releaseId = release.id();
        cutover.service = release.service();
        cutover.environment = release.environment();
        cutover.port = route.port;
        cutover.fromEndpoint = from;
        cutover.fromVersion = route.liveVersion;
        cutover.fromReleaseId = route.liveReleaseId;
        cutover.toEndpoint = ready.endpoint();
        cutover.version = release.version();
        cutover.healthPath = ready.spec().health().path();
        cutover.rollout = EventCodec.toJson(rollout);
        cutover.traceparent = trace.current();
        cutover.createdAt = at;
        if (route.updatedAt == null) {
            route.updatedAt = at;
        }
        route.persist();
        record(cutover, route, start, null, at);
        cutover.persist();
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
        Route route = cutover.lockRoute();
        if (!cutover.isWatched()) {
            return;
        }
        Instant now = clock.instant();
        Decision decision = CutoverProgress.promote(Progress.of(cutover), rollout(cutover), request.reason(), now);
        if (decision.action() == CutoverProgress.Action.TAKE_ALL) {
            requireShift(route, Weights.of(null, cutover.toEndpoint, 100), fallback(cutover.fromEndpoint, decision));
        } else if (decision.action() == CutoverProgress.Action.PROMOTE) {
            dropFallback(cutover, route);
        }
        record(cutover, route, decision, null, now);
    }

    /**
     * One analysis interval of a watched cutover, as {@link CutoverProgress#judge} decides it.
     *
     * @param interval what green did since the previous interval; null when no interval ended
     * @param window   what green did since the step or bake began
     */
    @Transactional
    public void judge(String releaseId, Measurement interval, Measurement window) {
        Cutover cutover = Cutover.findById(releaseId);
        if (cutover == null || !cutover.isWatched()) {
            return;
        }
        // A failed interval will most likely switch back: blue's health is asked while the lock is taken.
        CompletableFuture<Optional<String>> blueAsked = interval != null && Verdict.of(interval) == Verdict.FAIL
                ? rollback.askBlue(cutover) : null;
        Route route = cutover.lockRoute();
        if (!cutover.isWatched()) {
            return;
        }
        // Polled by the analysis loop, long after the green-ready that began the cutover: its outcome is published
        // in the cutover's own trace context.
        TraceContext.within(cutover.traceparent, () -> judgeWatched(cutover, route, interval, window, blueAsked));
    }

    private void judgeWatched(Cutover cutover, Route route, Measurement interval, Measurement window,
                              CompletableFuture<Optional<String>> blueAsked) {
        String releaseId = cutover.releaseId;
        long decided = System.nanoTime();
        if (interval != null) {
            metrics.judged(interval.verdict());
        }
        RolloutSpec rollout = rollout(cutover);
        Instant now = clock.instant();
        // The interval is kept as the cutover stood when it was judged, once traffic is where the decision wants it.
        String judgedIn = cutover.state + "/" + cutover.step;
        int judgedAtWeight = cutover.greenWeight;
        Decision decision = CutoverProgress.judge(Progress.of(cutover), rollout, Verdict.of(interval), now);
        switch (decision.action()) {
            case FAIL -> switchBack(cutover, route, interval, rollout, decided, blueAsked);
            case INCONCLUSIVE -> {
                decision.next().applyTo(cutover);
                Measurement inconclusive = window == null
                        ? new Measurement(cutover.toEndpoint, 0, 0, 0, 0, Measurement.INCONCLUSIVE, "nothing was measured")
                        : new Measurement(window.endpoint(), window.requests(), window.errors(), window.errorRate(),
                        window.p99Millis(), Measurement.INCONCLUSIVE, decision.reason() + ": " + window.requests()
                        + " request(s) in all" + (window.reason().startsWith("no data") ? " (" + window.reason() + ")" : ""));
                switchBack(cutover, route, inconclusive, rollout, decided, null);
            }
            case STEP -> {
                requireShift(route, Weights.of(cutover.fromEndpoint, cutover.toEndpoint, decision.next().greenWeight()),
                        fallback(cutover.fromEndpoint, decision));
                record(cutover, route, decision, window, now);
            }
            case TAKE_ALL -> {
                requireShift(route, Weights.of(null, cutover.toEndpoint, 100), fallback(cutover.fromEndpoint, decision));
                record(cutover, route, decision, window, now);
            }
            case PROMOTE -> {
                dropFallback(cutover, route);
                record(cutover, route, decision, window, now);
            }
            default -> record(cutover, route, decision, window, now);
        }
        if (interval != null) {
            history.record(releaseId, judgedIn, judgedAtWeight, interval, now);
        }
    }

    public List<Route> routes() {
        return Route.listAll();
    }

    /**
     * A cutover analysis watches, as the analysis loop needs it.
     *
     * @param releaseId the release
     * @param route     its route's name
     * @param driver    its router
     * @param port      its router's port
     * @param green     green's endpoint
     * @param window    the step or bake under way: a new value starts a new window
     * @param rollout   strategy, bake and thresholds
     * @param service     the service
     * @param environment the environment
     * @param version     green's version
     * @param blue        blue's endpoint; null for a first release
     * @param blueVersion blue's version
     * @param blueReleaseId the release that put blue live
     */
    public record Watched(String releaseId, String route, String driver, int port, String green, String window,
                          RolloutSpec rollout, String service, String environment, String version, String blue,
                          String blueVersion, String blueReleaseId) {
    }

    /** The cutovers analysis watches now. */
    @Transactional
    public List<Watched> watched() {
        return Cutover.watchedWithRoutes().stream().map(watching -> {
            Cutover c = watching.cutover();
            Route route = watching.route();
            return new Watched(c.releaseId, route.id.name(), route.driver, c.port, c.toEndpoint, c.state + "/" + c.step,
                    rollout(c), c.service, c.environment, c.version, c.fromEndpoint, c.fromVersion, c.fromReleaseId);
        }).toList();
    }

    /**
     * The rollout the cutover was made with, as the release's spec gave it ({@code ReleaseSpec.rolloutOrDefault()}):
     * the switcher has no bake of its own. Only rows from before rollouts were recorded have none, all promoted.
     */
    public static RolloutSpec rollout(Cutover cutover) {
        return cutover.rollout == null ? RolloutSpec.none() : EventCodec.fromJson(cutover.rollout, RolloutSpec.class);
    }

    /**
     * Records a decision whose traffic has moved, and publishes what it means.
     *
     * @param total what green did over the bake, for a promotion at its end; null otherwise
     */
    private void record(Cutover cutover, Route route, Decision decision, Measurement total, Instant at) {
        decision.next().applyTo(cutover);
        cutover.updatedAt = at;
        RolloutSpec rollout = rollout(cutover);
        ReleaseRef release = ref(cutover);
        switch (decision.action()) {
            case STEP -> outbox.publish(new CanaryStepStarted(release, cutover.port, cutover.step + 1,
                    rollout.steps().size(), cutover.greenWeight, rollout.steps().get(cutover.step).pauseSeconds()));
            case TAKE_ALL -> {
                route.liveEndpoint = cutover.toEndpoint;
                route.liveVersion = cutover.version;
                route.liveReleaseId = cutover.releaseId;
                route.updatedAt = at;
                outbox.publish(new CutoverCompleted(release, cutover.port, cutover.fromEndpoint, cutover.toEndpoint,
                        route.id.name()));
                if (cutover.state == CutoverState.PROMOTED) {
                    publishPromoted(cutover, decision.reason(), null);
                }
            }
            case PROMOTE -> publishPromoted(cutover, decision.reason(), total);
            default -> {
            }
        }
    }

    private void publishPromoted(Cutover cutover, String reason, Measurement total) {
        outbox.publish(new BakeCompleted(ref(cutover), reason, cutover.passedIntervals, cutover.inconclusiveIntervals,
                total));
    }

    /**
     * Blue while the decision leaves green watched (a canary step, a bake): warm until the promotion, it answers the
     * idempotent requests green fails. None once promoted, as the deployer then retires blue, and none for a first
     * release.
     */
    static String fallback(String blue, Decision decision) {
        return blue != null && decision.next().state().isWatched() ? blue : null;
    }

    /** The bake passed: green keeps all traffic, and blue, about to be retired, stops being its fallback. */
    private void dropFallback(Cutover cutover, Route route) {
        if (cutover.fromEndpoint != null) {
            requireShift(route, Weights.of(null, cutover.toEndpoint, 100), null);
        }
    }

    /** Moves the route's traffic, or fails the transaction with the router's reason: the next interval tries again. */
    private void requireShift(Route route, Map<String, Integer> weights, String fallback) {
        TrafficShift.Outcome moved = shift.shift(route.driver, route.id.name(), weights, fallback);
        if (!moved.done()) {
            throw new IllegalStateException(moved.reason());
        }
    }

    /** Analysis failed: all traffic back on blue now, with the measured values that decided it. */
    private void switchBack(Cutover cutover, Route route, Measurement measurement, RolloutSpec rollout, long decided,
                            CompletableFuture<Optional<String>> blueAsked) {
        outbox.publish(new AnalysisFailed(ref(cutover), measurement, rollout.analysisOrDefault()));
        rollback.rollBack(cutover, route, "analysis " + measurement.verdict() + ": " + measurement.reason(), decided,
                blueAsked);
    }

    private static ReleaseRef ref(Cutover cutover) {
        return new ReleaseRef(cutover.releaseId, cutover.service, cutover.environment, cutover.version);
    }
}
