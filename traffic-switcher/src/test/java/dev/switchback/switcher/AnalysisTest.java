package dev.switchback.switcher;

import dev.switchback.infra.test.HttpBackend;
import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.CanaryStepStarted;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.Measurement;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.switcher.analysis.AnalysisHistory;
import dev.switchback.switcher.analysis.JudgedInterval;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Analysis through the embedded router with real backends: the bake, canary steps, automatic rollback on errors and
 * latency, inconclusive data that is never a pass, promotion.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class AnalysisTest extends SwitcherFixture {

    @Inject
    AnalysisHistory history;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * PROBED: green is judged every 300 ms on probe traffic of 50 requests a second through the router; the p99 bound
     * is loose enough that a cold backend on a busy machine passes, and a 1.5 s green does not.
     */
    private static final AnalysisSpec PROBED = new AnalysisSpec(300, 0.1, 1000, 5, new AnalysisSpec.ProbeSpec("/version", 50));

    @Test
    void shouldRollBackAutomaticallyWhenGreenStartsAnswering5xx() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        cutOver("1.0.0", blue, bake(600, PROBED));
        ReleaseRef release = cutOver("1.1.0", green, bake(600, PROBED));
        assertThat(get("/version")).isEqualTo("1.1.0");

        green.status.set(500);

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.FAIL);
        assertThat(failed.measurement().errorRate()).isGreaterThan(0.1);
        assertThat(failed.measurement().requests()).isGreaterThanOrEqualTo(5);
        assertThat(failed.measurement().reason()).contains("error rate");
        RollbackCompleted rollback = kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);
        assertThat(rollback.reason()).startsWith("analysis fail: error rate");
        assertThat(rollback.switchMillis()).as("decision to all traffic on blue").isLessThan(2000);
        assertThat(get("/version")).isEqualTo("1.0.0");
        assertThat(kafka.typesOf(release.id(), Topics.TRAFFIC)).doesNotContain("dev.switchback.traffic.bake-completed");
    }

    @Test
    void shouldKeepEveryJudgedIntervalOfAReleaseForTheDashboardsChart() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        cutOver("1.0.0", blue, bake(600, PROBED));
        ReleaseRef release = cutOver("1.1.0", green, bake(600, PROBED));
        await().atMost(TIMEOUT).until(() -> given()
                .get("/analysis/" + release.id()).jsonPath().getList("findAll { it.verdict == 'pass' }").size() >= 2);

        green.status.set(500);
        kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);

        JsonPath intervals = given().get("/analysis/" + release.id())
                .then().statusCode(200).extract().jsonPath();
        List<String> verdicts = intervals.getList("verdict");
        assertThat(verdicts).contains(Measurement.PASS).last().isEqualTo(Measurement.FAIL);
        assertThat(intervals.getList("window", String.class)).allSatisfy(w -> assertThat(w).isEqualTo("BAKING/0"));
        assertThat(intervals.getList("greenWeight", Integer.class)).allSatisfy(w -> assertThat(w).isEqualTo(100));
        assertThat(intervals.getDouble("[-1].errorRate")).isGreaterThan(0.1);
        assertThat(intervals.getLong("[0].requests")).isPositive();
        given().get("/analysis/" + UUID.randomUUID()).then().statusCode(200)
                .body("size()", equalTo(0));
        given().get("/analysis/not-a-release").then().statusCode(400);
    }

    @Test
    void shouldKeepJudgedIntervalsInTheDatabaseUntilTheirRetentionEnds() {
        String older = UUID.randomUUID().toString();
        String newer = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Measurement pass = new Measurement("127.0.0.1:1", 40, 0, 0, 3.5, Measurement.PASS, "fine");
        QuarkusTransaction.requiringNew().run(() -> {
            history.record(older, "BAKING/0", 100, pass, now.minus(Duration.ofDays(20)));
            history.record(newer, "CANARY/0", 25, pass, now.minus(Duration.ofDays(1)));
            history.record(newer, "CANARY/0", 25, pass, now);
        });
        // Stored, not held by the bean: another replica or a restarted switcher answers the same from the table.
        assertThat(QuarkusTransaction.requiringNew().call(() -> JudgedInterval.count("releaseId", newer))).isEqualTo(2);

        long forgotten = history.forgetBefore(now.minus(Duration.ofDays(14)));

        assertThat(forgotten).isGreaterThanOrEqualTo(1);
        given().get("/analysis/" + older).then().statusCode(200).body("size()", equalTo(0));
        JsonPath kept = given().get("/analysis/" + newer).then().statusCode(200).extract().jsonPath();
        assertThat(kept.getList("window", String.class)).containsExactly("CANARY/0", "CANARY/0");
        assertThat(kept.getList("greenWeight", Integer.class)).containsExactly(25, 25);
        assertThat(Instant.parse(kept.getString("[1].at"))).as("oldest first").isEqualTo(now);
    }

    @Test
    void shouldSwitchBackBeforeTheIntervalEndsWhenGreenFailsEverything() throws Exception {
        // Intervals of 20 s: waiting for the interval's end would serve 20 s of failures (about 1,000 probes), and
        // waiting until the failures alone outweigh the rest of the interval 1 s of them (about 50).
        AnalysisSpec longIntervals = new AnalysisSpec(20_000, 0.05, 1000, 5, new AnalysisSpec.ProbeSpec("/version", 50));
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        cutOver("1.0.0", blue, bake(600, longIntervals));
        ReleaseRef release = cutOver("1.1.0", green, bake(600, longIntervals));
        Thread.sleep(300);
        long beforeFailing = green.received();

        green.status.set(500);
        long failingSince = System.nanoTime();

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        RollbackCompleted rollback = kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);
        long tookMillis = Duration.ofNanos(System.nanoTime() - failingSince).toMillis();
        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.FAIL);
        assertThat(failed.measurement().reason()).contains("into the interval");
        assertThat(tookMillis).as("failing to all traffic on blue, against a 20 s interval").isLessThan(4000);
        assertThat(green.received() - beforeFailing).as("requests green failed before the switch back, minRequests 5")
                .isLessThan(25);
        assertThat(get("/version")).isEqualTo("1.0.0");
        assertThat(rollback.reason()).startsWith("analysis fail: error rate");
    }

    @Test
    void shouldRollBackAutomaticallyWhenGreensLatencyBreaches() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        cutOver("1.0.0", blue, bake(600, PROBED));
        ReleaseRef release = cutOver("1.1.0", green, bake(600, PROBED));

        green.delayMillis.set(1500);

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        assertThat(failed.measurement().p99Millis()).isGreaterThan(1000);
        assertThat(failed.measurement().errorRate()).isZero();
        assertThat(failed.measurement().reason()).contains("p99 latency");
        kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldNotPromoteWhenAnalysisHadTooFewRequestsToJudge() throws Exception {
        AnalysisSpec unprobed = new AnalysisSpec(300, 0.1, 1000, 5, null);
        cutOver("1.0.0", backend("1.0.0"), bake(2, unprobed));
        ReleaseRef release = cutOver("1.1.0", backend("1.1.0"), bake(2, unprobed));

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        assertThat(failed.measurement().verdict()).isEqualTo(Measurement.INCONCLUSIVE);
        assertThat(failed.measurement().reason()).contains("enough requests");
        kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);
        assertThat(get("/version")).isEqualTo("1.0.0");
        assertThat(kafka.typesOf(release.id(), Topics.TRAFFIC)).doesNotContain("dev.switchback.traffic.bake-completed");
    }

    @Test
    void shouldPromoteGreenAfterABakeThatPassed() throws Exception {
        cutOver("1.0.0", backend("1.0.0"), bake(2, PROBED));
        ReleaseRef release = cutOver("1.1.0", backend("1.1.0"), bake(2, PROBED));

        BakeCompleted baked = kafka.await(BakeCompleted.class, release.id(), TIMEOUT);
        assertThat(baked.passedIntervals()).isGreaterThan(0);
        // Every passed interval needed minRequests probe requests; a busy machine sends fewer than the nominal 50/s.
        assertThat(baked.total().requests()).isGreaterThanOrEqualTo((long) baked.passedIntervals() * PROBED.minRequests());
        assertThat(baked.total().errors()).isZero();
        assertThat(baked.reason()).contains("passed");
        assertThat(get("/version")).isEqualTo("1.1.0");

        kafka.publish("/switchback/release-api", new RollbackRequested(release, "too late"));
        assertThat(kafka.await(RollbackFailed.class, release.id(), TIMEOUT).reason()).contains("promoted");
        assertThat(get("/version")).isEqualTo("1.1.0");
    }

    @Test
    void shouldEndTheBakeEarlyOnPromotion() throws Exception {
        cutOver("1.0.0", backend("1.0.0"), bake(600, PROBED));
        ReleaseRef release = cutOver("1.1.0", backend("1.1.0"), bake(600, PROBED));

        kafka.publish("/switchback/release-api", new PromoteRequested(release, "verified by hand"));

        assertThat(kafka.await(BakeCompleted.class, release.id(), TIMEOUT).reason()).contains("verified by hand");
        assertThat(get("/version")).isEqualTo("1.1.0");
    }

    @Test
    void shouldWalkTheCanaryStepsSplittingTrafficByWeightThenBake() throws Exception {
        cutOver("1.0.0", backend("1.0.0"), bake(0, PROBED));
        RolloutSpec canary = new RolloutSpec(RolloutSpec.CANARY,
                List.of(new RolloutSpec.CanaryStep(30, 8), new RolloutSpec.CanaryStep(70, 2)), 1, PROBED);
        ReleaseRef release = greenReady("1.1.0", backend("1.1.0"), canary);

        CanaryStepStarted first = kafka.await(CanaryStepStarted.class, release.id(), s -> s.step() == 1, TIMEOUT);
        assertThat(first.greenWeight()).isEqualTo(30);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            seen.merge(get("/version"), 1, Integer::sum);
        }
        assertThat(seen.get("1.1.0")).as("green's share of 200 requests at 30 %").isBetween(30, 95);
        assertThat(seen.get("1.0.0")).isBetween(105, 170);

        CanaryStepStarted second = kafka.await(CanaryStepStarted.class, release.id(), s -> s.step() == 2, TIMEOUT);
        assertThat(second.greenWeight()).isEqualTo(70);
        kafka.await(CutoverCompleted.class, release.id(), TIMEOUT);
        kafka.await(BakeCompleted.class, release.id(), TIMEOUT);
        assertThat(kafka.typesOf(release.id(), Topics.TRAFFIC)).containsExactly(
                "dev.switchback.traffic.cutover-started", "dev.switchback.traffic.canary-step-started",
                "dev.switchback.traffic.canary-step-started", "dev.switchback.traffic.cutover-completed",
                "dev.switchback.traffic.bake-completed");
        assertThat(get("/version")).isEqualTo("1.1.0");
    }

    @Test
    void shouldReturnAllTrafficToBlueOnRollbackMidCanary() throws Exception {
        cutOver("1.0.0", backend("1.0.0"), bake(0, PROBED));
        RolloutSpec canary = new RolloutSpec(RolloutSpec.CANARY, List.of(new RolloutSpec.CanaryStep(50, 600)), 600, PROBED);
        ReleaseRef release = greenReady("1.1.0", backend("1.1.0"), canary);
        kafka.await(CanaryStepStarted.class, release.id(), TIMEOUT);

        kafka.publish("/switchback/release-api", new RollbackRequested(release, "not today"));

        assertThat(kafka.await(RollbackCompleted.class, release.id(), TIMEOUT).restoredVersion()).isEqualTo("1.0.0");
        for (int i = 0; i < 50; i++) {
            assertThat(get("/version")).isEqualTo("1.0.0");
        }
    }

    @Test
    void shouldRollBackAutomaticallyThroughNginxFromItsAccessLogCounts() throws Exception {
        NginxInstalled.assume();
        driver = "nginx";
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        cutOver("1.0.0", blue, bake(600, PROBED));
        ReleaseRef release = cutOver("1.1.0", green, bake(600, PROBED));
        assertThat(get("/version")).isEqualTo("1.1.0");

        green.status.set(503);

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        assertThat(failed.measurement().errorRate()).isGreaterThan(0.1);
        assertThat(kafka.await(RollbackCompleted.class, release.id(), TIMEOUT).switchMillis()).isLessThan(2000);
        assertThat(get("/version")).isEqualTo("1.0.0");
    }


}
