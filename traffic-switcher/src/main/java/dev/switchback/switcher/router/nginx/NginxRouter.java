package dev.switchback.switcher.router.nginx;

import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.router.EndpointStats;
import dev.switchback.switcher.router.Router;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The {@code nginx} router: an nginx master of the switcher's own, one file per route with a weighted
 * {@code upstream}. A switch rewrites the route's file, reloads nginx gracefully (old workers finish what they
 * serve) and returns only once nginx itself reports the new file's generation on its loopback control server and
 * every old worker has stopped taking connections. Counters per endpoint come from each route's access log.
 */
@ApplicationScoped
public class NginxRouter implements Router {

    private static final Logger LOG = Logger.getLogger(NginxRouter.class);
    private static final RouteConf.Served NOTHING = new RouteConf.Served(-1, Map.of());

    private final SwitcherConfig config;
    private final Nginx nginx;
    // What this router last had nginx serve, per route: the base of the next generation, and what a failed switch
    // restores. weights() never answers from it.
    private final Map<String, RouteConf> routes = new ConcurrentHashMap<>();
    private final Map<String, AccessLog> logs = new ConcurrentHashMap<>();

    public NginxRouter(SwitcherConfig config, NginxConfig nginxConfig) {
        this.config = config;
        this.nginx = new Nginx(nginxConfig);
    }

    @Override
    public String name() {
        return "nginx";
    }

    /**
     * Starts (or adopts) nginx if it does not run, then serves the route's port. A route nginx already serves on that
     * port, left by a previous switcher, is adopted as it is, upstream included: a restart changes nothing for users.
     */
    @Override
    public synchronized void open(String route, int port) {
        if (routes.containsKey(route)) {
            return;
        }
        RouteConf empty = new RouteConf(route, port, 1, Map.of());
        nginx.ensureRunning(knownFiles());
        Optional<RouteConf> left = read(empty).filter(conf -> conf.route().equals(route));
        if (left.isPresent() && left.get().port() == port && served(left.get()).generation() == left.get().generation()) {
            remember(left.get());
            LOG.infof("router of %s adopted from nginx: %s:%d -> %s", route, config.bindHost(), port, left.get().weights());
            return;
        }
        RouteConf next = left.map(conf -> new RouteConf(route, port, conf.generation() + 1, conf.weights())).orElse(empty);
        apply(left.orElse(null), next);
        remember(next);
        LOG.infof("router of %s listens on %s:%d through nginx", route, config.bindHost(), port);
    }

    @Override
    public synchronized void setWeights(String route, Map<String, Integer> weights) {
        RouteConf current = routes.get(route);
        if (current == null) {
            throw new IllegalStateException("router of " + route + " is not open");
        }
        Map<String, Integer> positive = new LinkedHashMap<>();
        weights.forEach((endpoint, weight) -> {
            if (weight > 0) {
                positive.put(endpoint, weight);
            }
        });
        int sum = positive.values().stream().mapToInt(Integer::intValue).sum();
        if (sum != 100) {
            throw new IllegalArgumentException("weights of " + route + " must sum to 100, not " + sum + ": " + weights);
        }
        RouteConf next = new RouteConf(route, current.port(), current.generation() + 1, positive);
        // A master that died is started again with the files as they are, before this switch is applied.
        nginx.ensureRunning(knownFiles());
        positive.keySet().forEach(logs.get(route)::know);
        apply(current, next);
        routes.put(route, next);
        LOG.infof("router of %s: %s -> %s", route, current.weights(), positive);
    }

    /** What nginx answers on its control server for the route, not what was last asked. */
    @Override
    public Map<String, Integer> weights(String route) {
        RouteConf conf = routes.get(route);
        return conf == null ? Map.of() : served(conf).weights();
    }

    /**
     * Counters from the route's access log. nginx writes a request's line once its answer is sent, so a reading
     * taken right after a request may not count it yet; the next reading does.
     */
    @Override
    public Optional<Map<String, EndpointStats>> stats(String route) {
        AccessLog log = logs.get(route);
        return Optional.of(log == null ? Map.of() : log.read());
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
        write(next);
        List<Long> oldWorkers;
        try {
            oldWorkers = nginx.reload();
        } catch (IllegalStateException e) {
            restore(previous, next);
            throw new IllegalStateException("router of " + next.route() + ": " + e.getMessage(), e);
        }
        Nginx.Answer answer = nginx.await(next.controlPath(), a -> generation(a) == next.generation(), oldWorkers);
        List<Long> lingering = Nginx.stillAccepting(oldWorkers);
        if (generation(answer) != next.generation() || !lingering.isEmpty()) {
            restore(previous, next);
            try {
                nginx.reload();
            } catch (IllegalStateException ignored) {
                // The previous files were served before; if nginx refuses them now, the error below says enough.
            }
            throw new IllegalStateException("router of " + next.route() + ": nginx serves " + Nginx.describe(answer)
                    + (lingering.isEmpty() ? "" : " with old workers " + lingering + " still taking connections")
                    + " " + nginx.timeout() + " after the reload, not \"" + next.served() + "\""
                    + nginx.errorsSince(errorsFrom));
        }
    }

    private void write(RouteConf conf) {
        Nginx.write(confFile(conf), conf.render(config.bindHost(), accessLog(conf).toString()));
        Nginx.write(controlFile(conf), conf.renderControl());
    }

    private void restore(RouteConf previous, RouteConf next) {
        if (previous != null) {
            write(previous);
            return;
        }
        try {
            Files.deleteIfExists(confFile(next));
            Files.deleteIfExists(controlFile(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the files of " + next.route(), e);
        }
    }

    private void remember(RouteConf conf) {
        AccessLog log = new AccessLog(accessLog(conf));
        conf.weights().keySet().forEach(log::know);
        logs.put(conf.route(), log);
        routes.put(conf.route(), conf);
    }

    private RouteConf.Served served(RouteConf conf) {
        Nginx.Answer answer = nginx.ask(conf.controlPath());
        return answer.status() == 200 ? RouteConf.parseServed(answer.body()).orElse(NOTHING) : NOTHING;
    }

    private static long generation(Nginx.Answer answer) {
        return answer.status() == 200 ? RouteConf.parseServed(answer.body()).orElse(NOTHING).generation() : -1;
    }

    private Optional<RouteConf> read(RouteConf conf) {
        try {
            Path file = confFile(conf);
            return Files.exists(file) ? RouteConf.parse(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file of " + conf.route(), e);
        }
    }

    private Set<String> knownFiles() {
        return routes.values().stream().map(RouteConf::fileName).collect(Collectors.toSet());
    }

    private Path confFile(RouteConf conf) {
        return nginx.routes().resolve(conf.fileName() + ".conf");
    }

    private Path controlFile(RouteConf conf) {
        return nginx.routes().resolve(conf.fileName() + ".control");
    }

    private Path accessLog(RouteConf conf) {
        return nginx.logs().resolve(conf.fileName() + ".access.log");
    }
}
