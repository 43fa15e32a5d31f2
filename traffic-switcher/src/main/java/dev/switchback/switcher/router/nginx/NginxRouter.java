package dev.switchback.switcher.router.nginx;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.RouterCounters;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.Weights;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code nginx} router: an nginx master of the switcher's own, one file per route with a weighted
 * {@code upstream}. A switch rewrites the route's file, reloads nginx gracefully (old workers finish what they
 * serve) and returns only once nginx itself reports the new file's generation on its loopback control server and
 * every old worker has stopped taking connections, or fails with the previous file restored: so a switch that
 * returned verifies YES at once. Counters per endpoint come from each route's access log.
 */
@ApplicationScoped
public class NginxRouter implements Router, RouterCounters {

    private static final Logger LOG = Logger.getLogger(NginxRouter.class);
    private static final RouteConf.Served NOTHING = new RouteConf.Served(-1, Map.of(), null);

    private final SwitcherConfig config;
    private final Nginx nginx;
    private final RouteFiles files;
    // What this router last had nginx serve, per route: the base of the next generation, and what a failed switch
    // restores. weights() and verifyWeights() never answer from it.
    private final Map<String, RouteConf> routes = new ConcurrentHashMap<>();
    private final Map<String, AccessLog> logs = new ConcurrentHashMap<>();

    public NginxRouter(SwitcherConfig config, NginxConfig nginxConfig) {
        this.config = config;
        this.nginx = new Nginx(nginxConfig, config.readTimeout());
        this.files = new RouteFiles(nginx.routes(), nginx.logs());
    }

    @Override
    public String name() {
        return "nginx";
    }

    /**
     * Starts (or adopts) nginx if it does not run, then serves the route's port ({@code settings.port()}). A route
     * nginx already serves on that port, left by a previous switcher, is adopted as it is, upstream included: a
     * restart changes nothing for users.
     */
    @Override
    public synchronized void ensureRoute(String route, RouterSpec settings) {
        if (routes.containsKey(route)) {
            return;
        }
        int port = settings.port();
        RouteConf empty = new RouteConf(route, port, 1, Map.of());
        nginx.ensureRunning(routes.keySet());
        Optional<RouteConf> left = files.read(route).filter(conf -> conf.route().equals(route));
        if (left.isPresent() && left.get().port() == port && served(left.get()).generation() == left.get().generation()) {
            remember(left.get());
            LOG.infof("router of %s adopted from nginx: %s:%d -> %s", route, config.bindHost(), port, left.get().weights());
            return;
        }
        RouteConf next = left.map(conf -> new RouteConf(route, port, conf.generation() + 1, conf.weights(), conf.fallback())).orElse(empty);
        apply(left.orElse(null), next);
        remember(next);
        LOG.infof("router of %s listens on %s:%d through nginx", route, config.bindHost(), port);
    }

    @Override
    public void setWeights(String route, Map<String, Integer> weights) {
        setWeights(route, weights, null);
    }

    /** One reload: the weights and the fallback (blue as the upstream's backup server) change together. */
    @Override
    public synchronized void setWeights(String route, Map<String, Integer> weights, String fallback) {
        RouteConf current = routes.get(route);
        if (current == null) {
            throw new IllegalStateException("router of " + route + " does not exist: ensure it first");
        }
        Map<String, Integer> positive = Weights.checked(route, weights);
        RouteConf next = new RouteConf(route, current.port(), current.generation() + 1, positive, fallback);
        // A master that died is started again with the files as they are, before this switch is applied.
        nginx.ensureRunning(routes.keySet());
        next.endpoints().forEach(logs.get(route)::know);
        apply(current, next);
        routes.put(route, next);
        LOG.infof("router of %s: %s -> %s%s", route, current.weights(), positive,
                fallback == null ? "" : ", failed idempotent requests once more to " + fallback);
    }

    /** What nginx answers on its control server: YES, NOT_YET while an older generation still shows, else NO. */
    @Override
    public Verification verifyWeights(String route, Map<String, Integer> expected) {
        RouteConf conf = routes.get(route);
        if (conf == null) {
            return Verification.no("router of " + route + " does not exist");
        }
        RouteConf.Served served = served(conf);
        if (served.generation() >= 0 && served.generation() < conf.generation()) {
            return Verification.notYet("nginx still serves generation " + served.generation() + " of " + route
                    + ", not " + conf.generation());
        }
        return Verification.compare(route, served.weights(), expected);
    }

    /** What nginx answers on its control server for the route, not what was last asked. */
    @Override
    public Map<String, Integer> weights(String route) {
        RouteConf conf = routes.get(route);
        return conf == null ? Map.of() : served(conf).weights();
    }

    /** Removes the route's files and reloads: nginx stops listening on its port once the old workers are done. */
    @Override
    public synchronized void removeRoute(String route) {
        RouteConf conf = routes.remove(route);
        logs.remove(route);
        if (conf == null) {
            return;
        }
        files.delete(route);
        if (nginx.running()) {
            List<Long> oldWorkers = nginx.reload();
            nginx.await(conf.controlPath(), answer -> answer.status() == 404, oldWorkers);
        }
        LOG.infof("router of %s removed from nginx", route);
    }

    @Override
    public Set<String> routes() {
        return Set.copyOf(routes.keySet());
    }

    /**
     * Counters from the route's access log. nginx writes a request's line once its answer is sent, so a reading
     * taken right after a request may not count it yet; the next reading does.
     */
    @Override
    public Map<String, EndpointStats> stats(String route) {
        AccessLog log = logs.get(route);
        return log == null ? Map.of() : log.read();
    }

    /** The pid of the nginx master serving the routes, while one runs. */
    public Optional<Long> masterPid() {
        return nginx.pid();
    }

    /** Stops nginx gracefully: requests under way finish first. */
    public synchronized void close() {
        nginx.stop();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        close();
    }

    /**
     * Has nginx serve the next version of a route, or fails leaving the previous one served: the files are written
     * whole, the reload is refused by nginx if they are broken, and the switch counts only once nginx answers the
     * new generation with none of its old workers still taking connections.
     */
    private void apply(RouteConf previous, RouteConf next) {
        long errorsFrom = nginx.errorLogSize();
        files.write(next, config.bindHost());
        List<Long> oldWorkers;
        try {
            oldWorkers = nginx.reload();
        } catch (IllegalStateException e) {
            files.restore(previous, next, config.bindHost());
            throw new IllegalStateException("router of " + next.route() + ": " + e.getMessage(), e);
        }
        NginxControl.Answer answer = nginx.await(next.controlPath(), a -> generation(a) == next.generation(), oldWorkers);
        List<Long> lingering = NginxProcesses.stillAccepting(oldWorkers);
        if (generation(answer) != next.generation() || !lingering.isEmpty()) {
            files.restore(previous, next, config.bindHost());
            try {
                nginx.reload();
            } catch (IllegalStateException ignored) {
                // The previous files were served before; if nginx refuses them now, the error below says enough.
            }
            throw new IllegalStateException("router of " + next.route() + ": nginx serves "
                    + NginxControl.describe(answer)
                    + (lingering.isEmpty() ? "" : " with old workers " + lingering + " still taking connections")
                    + " " + nginx.timeout() + " after the reload, not \"" + next.served() + "\""
                    + nginx.errorsSince(errorsFrom));
        }
    }

    private void remember(RouteConf conf) {
        AccessLog log = new AccessLog(files.accessLog(conf.route()));
        conf.endpoints().forEach(log::know);
        logs.put(conf.route(), log);
        routes.put(conf.route(), conf);
    }

    private RouteConf.Served served(RouteConf conf) {
        NginxControl.Answer answer = nginx.ask(conf.controlPath());
        return answer.status() == 200 ? RouteConf.parseServed(answer.body()).orElse(NOTHING) : NOTHING;
    }

    private static long generation(NginxControl.Answer answer) {
        return answer.status() == 200 ? RouteConf.parseServed(answer.body()).orElse(NOTHING).generation() : -1;
    }
}
