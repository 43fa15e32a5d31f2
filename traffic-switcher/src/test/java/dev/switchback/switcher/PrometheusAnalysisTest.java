package dev.switchback.switcher;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Measurement;
import dev.switchback.events.MetricsSpec;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.PrometheusServer;
import dev.switchback.infra.test.SampleAppProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Analysis from a real Prometheus server scraping real sample-app processes, as it would scrape a cluster's pods:
 * each instance's series carry service, environment and release labels, and analysis finds green's (and blue's)
 * with the release's PromQL. The router only sends the traffic here; none of its counters are read.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
@QuarkusTestResource(PrometheusTestResource.class)
class PrometheusAnalysisTest extends SwitcherFixture {

    private static final Path SAMPLE_JAR = Path.of("../sample-app/target/sample-app.jar").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final MetricsSpec PROMETHEUS = new MetricsSpec(MetricsSpec.PROMETHEUS_SOURCE, null, null, null, null);
    /** Intervals of 2 s against a 1 s scrape: each interval sees at least one new scrape of green. */
    private static final AnalysisSpec FROM_PROMETHEUS = new AnalysisSpec(2000, 0.05, 1000, 5,
            new AnalysisSpec.ProbeSpec("/version", 40), PROMETHEUS, null);

    private final List<SampleAppProcess> apps = new ArrayList<>();

    @AfterEach
    void stopApps() {
        apps.forEach(SampleAppProcess::close);
    }

    @Test
    void shouldPromoteAGreenWhoseSeriesInPrometheusPass() throws Exception {
        ReleaseRef blue = live("1.0.0", bake(0, FROM_PROMETHEUS));
        ReleaseRef green = release("1.1.0", bake(6, FROM_PROMETHEUS));

        BakeCompleted baked = kafka.await(BakeCompleted.class, green.id(), TIMEOUT);

        assertThat(baked.passedIntervals()).isGreaterThan(0);
        assertThat(baked.total().requests()).as("green's requests counted from its own series").isGreaterThan(40);
        assertThat(baked.total().errors()).isZero();
        assertThat(get("/version")).isEqualTo("1.1.0");
        assertThat(blue.version()).isEqualTo("1.0.0");
    }

    @Test
    void shouldRollBackWhenGreensErrorSeriesRise() throws Exception {
        live("1.0.0", bake(0, FROM_PROMETHEUS));
        ReleaseRef green = release("1.1.0-fail", bake(600, FROM_PROMETHEUS));

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, green.id(), TIMEOUT);

        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.FAIL);
        assertThat(failed.measurement().reason()).contains("error rate");
        assertThat(failed.measurement().errors()).isGreaterThanOrEqualTo(5);
        assertThat(kafka.await(RollbackCompleted.class, green.id(), TIMEOUT).reason()).startsWith("analysis fail");
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldNeverPassWhenTheSelectorMatchesNoSeries() throws Exception {
        live("1.0.0", bake(0, FROM_PROMETHEUS));
        // Green's pods are labelled with another release id than the release's: Prometheus has nothing of it.
        ReleaseRef green = release("1.1.0", bake(4, FROM_PROMETHEUS), UUID.randomUUID().toString());

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, green.id(), TIMEOUT);

        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.INCONCLUSIVE);
        assertThat(kafka.await(RollbackCompleted.class, green.id(), TIMEOUT)).isNotNull();
        assertThat(kafka.typesOf(green.id(), Topics.TRAFFIC)).doesNotContain("dev.switchback.traffic.bake-completed");
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldFailACanaryWorseThanBlueEvenUnderTheAbsoluteThreshold() throws Exception {
        // No absolute error threshold at all (1.0): only the comparison with blue can fail green.
        AnalysisSpec againstBlue = new AnalysisSpec(2000, 1.0, 1000, 5, new AnalysisSpec.ProbeSpec("/version", 40),
                PROMETHEUS, 0.1);
        live("1.0.0", bake(0, againstBlue));
        RolloutSpec canary = new RolloutSpec(RolloutSpec.CANARY, List.of(new RolloutSpec.CanaryStep(50, 600)), 0, againstBlue);
        ReleaseRef green = greenReady("1.1.0-fail", canary, null);

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, green.id(), TIMEOUT);

        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.FAIL);
        assertThat(failed.measurement().reason()).contains("above blue's");
        kafka.await(RollbackCompleted.class, green.id(), TIMEOUT);
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldPassACanaryNoWorseThanBlue() throws Exception {
        // Blue fails every request too: green is as bad, not worse, and the comparison passes it.
        AnalysisSpec againstBlue = new AnalysisSpec(2000, 1.0, 1000, 5, new AnalysisSpec.ProbeSpec("/version", 40),
                PROMETHEUS, 0.1);
        live("1.0.0-fail", bake(0, againstBlue));
        RolloutSpec canary = new RolloutSpec(RolloutSpec.CANARY, List.of(new RolloutSpec.CanaryStep(50, 5)), 0, againstBlue);
        ReleaseRef green = greenReady("1.1.0-fail", canary, null);

        CutoverCompleted completed = kafka.await(CutoverCompleted.class, green.id(), TIMEOUT);

        assertThat(completed).isNotNull();
        assertThat(kafka.typesOf(green.id(), Topics.TRAFFIC)).doesNotContain("dev.switchback.traffic.analysis-failed");
    }

    /** A first release of the service, cut over and left live. */
    private ReleaseRef live(String version, RolloutSpec rollout) throws Exception {
        ReleaseRef release = greenReady(version, rollout, null);
        kafka.await(CutoverCompleted.class, release.id(), TIMEOUT);
        return release;
    }

    private ReleaseRef release(String version, RolloutSpec rollout) throws Exception {
        return release(version, rollout, null);
    }

    private ReleaseRef release(String version, RolloutSpec rollout, String labelledRelease) throws Exception {
        ReleaseRef release = greenReady(version, rollout, labelledRelease);
        kafka.await(CutoverCompleted.class, release.id(), TIMEOUT);
        return release;
    }

    /**
     * Starts the version as a process, has Prometheus scrape it labelled as the release's instance (or as another
     * release's, when given), waits for its first series, and reports it ready to the switcher.
     */
    private ReleaseRef greenReady(String version, RolloutSpec rollout, String labelledRelease) throws Exception {
        ReleaseRef release = new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
        SampleAppProcess app = SampleAppProcess.start(SAMPLE_JAR, version, Path.of("target", "sample-apps"));
        apps.add(app);
        String labelled = labelledRelease == null ? release.id() : labelledRelease;
        PrometheusTestResource.server.scrape(new PrometheusServer.Target(app.address(),
                Map.of("service", service, "environment", "test", "release", labelled)));
        // A health check before the cutover, as the deployer makes, gives the instance its first series.
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(app.endpoint() + "/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        PrometheusTestResource.server.awaitSeries("http_server_requests_seconds_count{release=\"" + labelled + "\"}",
                Duration.ofSeconds(30));
        kafka.publish("/switchback/deployer", new GreenReady(release, spec("embedded", rollout),
                service + "-" + version, app.endpoint()));
        return release;
    }
}
