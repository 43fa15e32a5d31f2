package dev.switchback.switcher;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Measurement;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.RouterSpec;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.switcher.router.fake.FakeRouter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The switcher through a router shaped like a cluster's ({@link FakeRouter}: weights settle after a delay, nothing is
 * counted): a cutover waits for the router's "yes", one that never comes fails the cutover with the router's
 * reason, and analysis with no data is inconclusive, never a pass.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class FakeRouterSwitchTest extends SwitcherFixture {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long SETTLE_MILLIS = 300;
    private static final AnalysisSpec PROBED = new AnalysisSpec(300, 0.1, 1000, 5, new AnalysisSpec.ProbeSpec("/version", 50));

    @Inject
    FakeRouter fake;

    @Test
    void shouldCompleteACutoverOnlyOnceTheRouterVerifiesTheSettledWeights() throws Exception {
        HttpBackend green = start("1.0.0", new AtomicInteger(200));
        long asked = System.nanoTime();

        ReleaseRef release = greenReady("1.0.0", green, Long.toString(SETTLE_MILLIS), bake(0));

        CutoverCompleted completed = kafka.await(CutoverCompleted.class, release.id(), TIMEOUT);
        assertThat((System.nanoTime() - asked) / 1_000_000).isGreaterThanOrEqualTo(SETTLE_MILLIS);
        assertThat(completed.route()).isEqualTo(service + ".test");
        assertThat(fake.weights(service + ".test")).isEqualTo(Map.of(green.endpoint(), 100));
    }

    @Test
    void shouldFailTheCutoverWithTheRoutersReasonWhenItNeverVerifies() throws Exception {
        HttpBackend green = start("1.0.0", new AtomicInteger(200));

        ReleaseRef release = greenReady("1.0.0", green, "never", bake(0));

        CutoverFailed failed = kafka.await(CutoverFailed.class, release.id(), TIMEOUT);
        assertThat(failed.reason()).contains("did not verify").contains("within").contains("not settled");
        assertThat(failed.reason()).doesNotContain("Exception");
        assertThat(kafka.typesOf(release.id(), Topics.TRAFFIC))
                .containsExactly("dev.switchback.traffic.cutover-started", "dev.switchback.traffic.cutover-failed");
    }

    @Test
    void shouldJudgeABakeWithNoDataInconclusiveAndSwitchBackToBlue() throws Exception {
        HttpBackend blue = start("1.0.0", new AtomicInteger(200));
        HttpBackend green = start("1.1.0", new AtomicInteger(200));
        kafka.await(CutoverCompleted.class, greenReady("1.0.0", blue, "50", bake(0)).id(), TIMEOUT);

        ReleaseRef release = greenReady("1.1.0", green, "50", bake(2));

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.INCONCLUSIVE);
        assertThat(failed.measurement().reason()).contains("enough requests").contains("no data");
        assertThat(kafka.await(RollbackCompleted.class, release.id(), TIMEOUT).restoredEndpoint()).isEqualTo(blue.endpoint());
        assertThat(fake.weights(service + ".test")).isEqualTo(Map.of(blue.endpoint(), 100));
        assertThat(kafka.typesOf(release.id(), Topics.TRAFFIC)).doesNotContain("dev.switchback.traffic.bake-completed");
    }

    private ReleaseRef greenReady(String version, HttpBackend backend, String settle, RolloutSpec rollout) {
        ReleaseRef release = new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
        RouterSpec router = new RouterSpec("fake", routerPort, Map.of(FakeRouter.SETTLE, settle));
        kafka.publish("/switchback/deployer", new GreenReady(release, spec(router, rollout), service + "-" + version,
                backend.endpoint()));
        return release;
    }

    private static RolloutSpec bake(int seconds) {
        return new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), seconds, PROBED);
    }
}
