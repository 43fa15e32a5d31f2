package dev.switchback.releaseapi.servicespec;

import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.DatabaseSpec;
import dev.switchback.events.HealthSpec;
import dev.switchback.events.KubernetesSettings;
import dev.switchback.events.MetricsSpec;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.RuntimeSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /services/{service}/environments/{environment}}.
 *
 * @param artifact default artifact of a release; {@code {version}} is replaced by the release's version
 * @param runtime  how instances are started
 * @param router   how users reach the live color
 * @param health   how health is checked
 * @param database target database of migrations; optional
 * @param rollout  how traffic moves to green, how long it bakes and what analysis holds it to; optional
 */
public record ServiceSpecBody(
        @Size(max = 1024) @Pattern(regexp = dev.switchback.web.Names.ARTIFACT,
                message = "must be a path or URL without spaces, shell characters or .. segments") String artifact,
        @NotNull @Valid Runtime runtime,
        @NotNull @Valid Router router,
        @Valid Health health,
        @Valid Database database,
        @Valid Rollout rollout) {

    /** A spec without a rollout section: blue-green with the default bake. */
    public ServiceSpecBody(String artifact, Runtime runtime, Router router, Health health, Database database) {
        this(artifact, runtime, router, health, database, null);
    }

    /**
     * How instances are started.
     *
     * @param driver      runtime driver: {@code process} (default) or {@code kubernetes}
     * @param command     argv template, never run through a shell; the {@code process} driver's, refused for
     *                    {@code kubernetes} (the image's entrypoint runs)
     * @param env         extra environment of every instance
     * @param databaseEnv which env keys hold a database's host, port, name, user and password, for the fence to check
     * @param kubernetes  the {@code kubernetes} driver's settings; required for it, refused for any other
     */
    public record Runtime(
            @Pattern(regexp = "process|kubernetes", message = "supported runtime drivers: process, kubernetes") String driver,
            @Size(max = 64) List<@NotBlank @Size(max = 1024)
                    @Pattern(regexp = dev.switchback.web.Names.TEXT, message = "must not contain control characters") String> command,
            @Size(max = 64) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}") String, @NotNull @Size(max = 4096) String> env,
            @Size(max = 5) Map<@NotNull @Pattern(regexp = "host|port|name|user|password",
                    message = "must be one of host, port, name, user, password") String,
                    @NotNull @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}", message = "must be an env key") String> databaseEnv,
            @Valid Kubernetes kubernetes) {

        /** A runtime without named database settings. */
        public Runtime(String driver, List<String> command, Map<String, String> env) {
            this(driver, command, env, null, null);
        }

        /** A runtime of a driver with no settings of its own. */
        public Runtime(String driver, List<String> command, Map<String, String> env, Map<String, String> databaseEnv) {
            this(driver, command, env, databaseEnv, null);
        }

        /** Each driver gets what it understands and nothing else: a command for process, settings for kubernetes. */
        @jakarta.validation.constraints.AssertTrue(message = "the process driver needs a command and takes no "
                + "kubernetes settings; the kubernetes driver needs kubernetes settings and takes no command")
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isDriverSettingsConsistent() {
            boolean hasCommand = command != null && !command.isEmpty();
            if ("kubernetes".equals(driver)) {
                return kubernetes != null && !hasCommand;
            }
            return hasCommand && kubernetes == null;
        }
    }

    /**
     * The {@code kubernetes} runtime driver's settings; see {@link KubernetesSettings}.
     *
     * @param namespace      namespace of this environment (a DNS-1123 label)
     * @param image          image reference with {@code {version}} in its tag; no digest (it would pin one version)
     * @param replicas       pods per instance, 1..100; 1 when absent
     * @param port           container port, 1..65535; 8080 when absent
     * @param resources      requests and limits of {@code cpu}, {@code memory}, {@code ephemeral-storage}
     * @param readinessProbe HTTP GET probe that makes a pod available; the health path when absent
     * @param livenessProbe  HTTP GET probe that restarts a hung container; none when absent
     */
    public record Kubernetes(
            @NotNull @Pattern(regexp = dev.switchback.web.Names.NAME,
                    message = "must be a DNS-1123 label: lower-case letters, digits and '-', at most 63") String namespace,
            @NotNull @Size(max = 255) @Pattern(regexp = KubernetesRules.IMAGE_TEMPLATE,
                    message = "must be an image reference such as registry.example.com/team/app:{version}, "
                            + "with {version} in its tag") String image,
            @Min(1) @Max(100) Integer replicas,
            @Min(1) @Max(65535) Integer port,
            @Valid Resources resources,
            @Valid HttpProbe readinessProbe,
            @Valid HttpProbe livenessProbe) {
    }

    /**
     * A container's resources.
     *
     * @param requests what the scheduler reserves, e.g. {@code {"cpu": "100m", "memory": "128Mi"}}
     * @param limits   what the container may use at most
     */
    public record Resources(
            @Size(max = 3) Map<@NotNull @Pattern(regexp = KubernetesRules.RESOURCE, message = KubernetesRules.RESOURCE_MESSAGE) String,
                    @NotNull @Pattern(regexp = KubernetesRules.QUANTITY, message = KubernetesRules.QUANTITY_MESSAGE) String> requests,
            @Size(max = 3) Map<@NotNull @Pattern(regexp = KubernetesRules.RESOURCE, message = KubernetesRules.RESOURCE_MESSAGE) String,
                    @NotNull @Pattern(regexp = KubernetesRules.QUANTITY, message = KubernetesRules.QUANTITY_MESSAGE) String> limits) {
    }

    /**
     * An HTTP GET probe on the container port.
     *
     * @param path                path answering 2xx; the health path when absent
     * @param initialDelaySeconds seconds before the first probe, 0..3600
     * @param periodSeconds       seconds between probes, 1..3600
     * @param failureThreshold    failures in a row that count, 1..100
     */
    public record HttpProbe(
            @Pattern(regexp = dev.switchback.web.Names.HTTP_PATH, message = "must be a path such as /health, without .. segments") String path,
            @Min(0) @Max(3600) Integer initialDelaySeconds,
            @Min(1) @Max(3600) Integer periodSeconds,
            @Min(1) @Max(100) Integer failureThreshold) {
    }

    /**
     * How users reach the live color.
     *
     * @param driver   router driver: {@code embedded} (default), {@code nginx} or {@code kubernetes}
     * @param port     port the router serves: one the switcher's host listens on (1024 and above) for
     *                 {@code embedded} and {@code nginx}, the stable Service's port for {@code kubernetes}
     * @param settings the driver's own settings of the route, passed to it as they are
     */
    public record Router(
            @Pattern(regexp = "embedded|nginx|kubernetes", message = "supported router drivers: embedded, nginx, kubernetes")
            String driver,
            @Min(1) @Max(65535) int port,
            @Size(max = 32) Map<@NotNull @Pattern(regexp = "[A-Za-z][A-Za-z0-9._-]{0,62}",
                    message = "must be a setting name: letters, digits, dot, dash, underscore") String,
                    @NotNull @Size(max = 1024) @Pattern(regexp = dev.switchback.web.Names.TEXT,
                            message = "must not contain control characters") String> settings) {

        /** A route with no driver settings. */
        public Router(String driver, int port) {
            this(driver, port, null);
        }

        /** A router on the switcher's host takes no privileged port; a Service's port may be any (80, 443). */
        @jakarta.validation.constraints.AssertTrue(message = "the embedded and nginx routers listen on ports 1024 and above")
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isPortAllowedForDriver() {
            return "kubernetes".equals(driver) || port >= 1024;
        }

        /** The kubernetes router finds its Services in a namespace; it cannot guess one. */
        @jakarta.validation.constraints.AssertTrue(message = "the kubernetes router needs settings.namespace")
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isNamespaceGivenForKubernetes() {
            return !"kubernetes".equals(driver) || (settings != null && settings.get("namespace") != null);
        }
    }

    /**
     * The kubernetes router counts no requests (the cluster forwards them), so analysis on the router's counters
     * never has data and every judged release would go back to blue: a bake or canary steps need Prometheus.
     */
    @jakarta.validation.constraints.AssertTrue(message = "the kubernetes router counts no requests: judge releases on"
            + " Prometheus (rollout.analysis.metrics.source prometheus), or promote at cutover (blue-green, bakeSeconds 0)")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isAnalysisMeasurable() {
        if (router == null || !"kubernetes".equals(router.driver())) {
            return true;
        }
        boolean prometheus = rollout != null && rollout.analysis() != null && rollout.analysis().metrics() != null
                && "prometheus".equals(rollout.analysis().metrics().source());
        boolean judged = rollout == null || rollout.bakeSeconds() == null || rollout.bakeSeconds() > 0
                || "canary".equals(rollout.strategy());
        return prometheus || !judged;
    }

    /** The kubernetes router switches the Services of the kubernetes runtime's instances; no other runtime has them. */
    @jakarta.validation.constraints.AssertTrue(message = "the kubernetes router needs the kubernetes runtime driver")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isRouterFitForRuntime() {
        return router == null || !"kubernetes".equals(router.driver())
                || (runtime != null && "kubernetes".equals(runtime.driver()));
    }

    /**
     * How health is checked.
     *
     * @param path            HTTP path answering 2xx when healthy
     * @param deadlineSeconds time an instance has to become healthy
     * @param smokePaths      GET paths a copy of the live version must answer 2xx on when it proves a contract change
     */
    public record Health(
            @Pattern(regexp = dev.switchback.web.Names.HTTP_PATH, message = "must be a path such as /health, without .. segments") String path,
            @Min(1) @Max(3600) Integer deadlineSeconds,
            @Size(max = 20) List<@NotNull @Pattern(regexp = dev.switchback.web.Names.HTTP_PATH,
                    message = "must be a path such as /notes, without .. segments") String> smokePaths) {

        /** Without smoke paths. */
        public Health(String path, Integer deadlineSeconds) {
            this(path, deadlineSeconds, null);
        }
    }

    /**
     * Target database of migrations.
     *
     * @param url         JDBC URL
     * @param username    user
     * @param passwordEnv       environment variable of the db-migrator holding the password
     * @param lockTimeoutMillis how long a migration statement may wait for a lock; default 1000
     */
    public record Database(
            @NotBlank @Pattern(regexp = "jdbc:postgresql://.{1,1000}") String url,
            @NotBlank @Size(max = 128) String username,
            @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}") String passwordEnv,
            @Min(10) @Max(600_000) Integer lockTimeoutMillis) {
    }

    /**
     * How traffic moves to green and how green is judged.
     *
     * @param strategy    {@code blue-green} (default) or {@code canary}
     * @param steps       canary steps, weights rising, each 1..99 with a pause; required for canary only
     * @param bakeSeconds how long blue stays warm after green takes all traffic; 0 promotes at once; default {@link RolloutSpec#DEFAULT_BAKE_SECONDS}
     * @param analysis    thresholds; defaults: interval 1000 ms, error rate 0.05, p99 1000 ms, 5 requests
     */
    public record Rollout(
            @Pattern(regexp = "blue-green|canary", message = "supported strategies: blue-green, canary") String strategy,
            @Size(max = 10) List<@NotNull @Valid Step> steps,
            @Min(0) @Max(86_400) Integer bakeSeconds,
            @Valid Analysis analysis) {

        /** Canary steps are given for canary and only for it, with weights that rise. */
        @jakarta.validation.constraints.AssertTrue(message = "canary needs steps with rising weights; blue-green takes none")
        public boolean isStepsConsistent() {
            boolean canary = "canary".equals(strategy);
            if (!canary) {
                return steps == null || steps.isEmpty();
            }
            if (steps == null || steps.isEmpty()) {
                return false;
            }
            int previous = 0;
            for (Step step : steps) {
                if (step == null || step.weight() <= previous) {
                    return false;
                }
                previous = step.weight();
            }
            return true;
        }
    }

    /**
     * One canary step.
     *
     * @param weight       share of new requests green gets, 1..99
     * @param pauseSeconds how long the step lasts while analysis runs
     */
    public record Step(@Min(1) @Max(99) int weight, @Min(1) @Max(86_400) int pauseSeconds) {
    }

    /**
     * What analysis holds green to.
     *
     * @param intervalMillis how often green is judged
     * @param maxErrorRate   highest share of failed requests that passes
     * @param maxP99Millis   highest p99 latency that passes
     * @param minRequests    fewest requests to judge an interval; fewer is inconclusive
     * @param probe          synthetic traffic through the router
     * @param metrics        where the numbers come from: the router (default) or Prometheus
     * @param maxErrorRateOverBlue margin by which green's error rate may exceed blue's; null for no comparison
     */
    public record Analysis(
            @Min(100) @Max(60_000) Integer intervalMillis,
            @jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1") Double maxErrorRate,
            @Min(1) @Max(600_000) Integer maxP99Millis,
            @Min(1) @Max(1_000_000) Integer minRequests,
            @Valid Probe probe,
            MetricsSpec metrics,
            @jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1") Double maxErrorRateOverBlue) {

        /** What is wrong with the metrics settings; Bean Validation cannot say it precisely, so the service checks it. */
        public List<String> metricsProblems() {
            return metrics == null ? List.of() : metrics.problems().stream().map(p -> "rollout.analysis.metrics: " + p).toList();
        }
    }

    /**
     * Synthetic traffic while analysis runs.
     *
     * @param path      path to call through the router
     * @param perSecond requests per second
     */
    public record Probe(@NotNull @Pattern(regexp = dev.switchback.web.Names.HTTP_PATH) String path, @Min(1) @Max(200) int perSecond) {
    }

    public RolloutSpec rolloutSpec() {
        if (rollout == null) {
            return new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), RolloutSpec.DEFAULT_BAKE_SECONDS, AnalysisSpec.withDefaults(null));
        }
        List<RolloutSpec.CanaryStep> steps = rollout.steps() == null ? List.of()
                : rollout.steps().stream().map(s -> new RolloutSpec.CanaryStep(s.weight(), s.pauseSeconds())).toList();
        Analysis a = rollout.analysis();
        AnalysisSpec analysis = AnalysisSpec.withDefaults(a == null ? null : new AnalysisSpec(a.intervalMillis(),
                a.maxErrorRate(), a.maxP99Millis(), a.minRequests(),
                a.probe() == null ? null : new AnalysisSpec.ProbeSpec(a.probe().path(), a.probe().perSecond()),
                a.metrics(), a.maxErrorRateOverBlue()));
        return new RolloutSpec(rollout.strategy() == null ? RolloutSpec.BLUE_GREEN : rollout.strategy(), steps,
                rollout.bakeSeconds() == null ? RolloutSpec.DEFAULT_BAKE_SECONDS : rollout.bakeSeconds(), analysis);
    }

    public RuntimeSpec runtimeSpec() {
        return new RuntimeSpec(runtime.driver() == null ? "process" : runtime.driver(), runtime.command(),
                runtime.env() == null ? Map.of() : runtime.env(),
                runtime.databaseEnv() == null || runtime.databaseEnv().isEmpty() ? null : runtime.databaseEnv(),
                kubernetesSettings(runtime.kubernetes()));
    }

    private static KubernetesSettings kubernetesSettings(Kubernetes k) {
        if (k == null) {
            return null;
        }
        KubernetesSettings.Resources resources = k.resources() == null ? null
                : new KubernetesSettings.Resources(k.resources().requests(), k.resources().limits());
        return new KubernetesSettings(k.namespace(), k.image(), k.replicas(), k.port(), resources,
                probe(k.readinessProbe()), probe(k.livenessProbe()));
    }

    private static KubernetesSettings.Probe probe(HttpProbe p) {
        return p == null ? null : new KubernetesSettings.Probe(p.path(), p.initialDelaySeconds(), p.periodSeconds(),
                p.failureThreshold());
    }

    public RouterSpec routerSpec() {
        return new RouterSpec(router.driver() == null ? "embedded" : router.driver(), router.port(),
                router.settings() == null || router.settings().isEmpty() ? null : router.settings());
    }

    public HealthSpec healthSpec() {
        return new HealthSpec(health == null || health.path() == null ? "/health" : health.path(),
                health == null || health.deadlineSeconds() == null ? 60 : health.deadlineSeconds(),
                health == null || health.smokePaths() == null || health.smokePaths().isEmpty() ? null : health.smokePaths());
    }

    public DatabaseSpec databaseSpec() {
        return database == null ? null : new DatabaseSpec(database.url(), database.username(), database.passwordEnv(),
                database.lockTimeoutMillis());
    }
}
