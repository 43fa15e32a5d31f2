package dev.switchback.switcher;

import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.AnalysisSpec;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.Measurement;
import dev.switchback.events.PromoteRequested;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RolloutSpec;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.HttpBackend;
import dev.switchback.switcher.route.service.RouteRecovery;
import dev.switchback.switcher.router.Routers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blue as green's fallback while green is watched, through the switcher: users' idempotent requests a failing green
 * fails are answered by blue while analysis still sees green fail and rolls back; a promoted green, or a first release,
 * has no fallback; a restarted switcher sets it again.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class FallbackTest extends SwitcherFixture {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AnalysisSpec PROBED = new AnalysisSpec(300, 0.1, 1000, 5, new AnalysisSpec.ProbeSpec("/version", 50));
    /** Intervals of 60 s and no probe: nothing is judged while the test looks at the route. */
    private static final AnalysisSpec QUIET = new AnalysisSpec(60_000, 0.1, 1000, 5, null);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    Routers routers;
    @Inject
    RouteRecovery recovery;

    @Test
    void shouldAnswerUsersFromBlueWhileAFailingGreenIsJudgedAndRolledBack() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        ReleaseRef release = greenOver(blue, green, bake(600, PROBED));
        List<Integer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread user = new Thread(() -> {
            while (running.get()) {
                try {
                    answers.add(status("/version"));
                } catch (Exception e) {
                    answers.add(-1);
                }
            }
        });

        green.status.set(500);
        user.start();
        RollbackCompleted rollback = kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);
        running.set(false);
        user.join();

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, release.id(), TIMEOUT);
        assertThat(failed.measurement().verdict()).as("analysis judges what green did").isEqualTo(Measurement.FAIL);
        assertThat(failed.measurement().errors()).isGreaterThanOrEqualTo(5);
        assertThat(rollback.restoredVersion()).isEqualTo("1.0.0");
        assertThat(answers).as("what users got while green failed every request").isNotEmpty().containsOnly(200);
    }

    @Test
    void shouldPassGreensFailuresOnOncePromotedByHandAsBlueIsRetired() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        ReleaseRef release = greenOver(blue, green, bake(600, QUIET));
        green.status.set(500);
        assertThat(status("/version")).as("baking: blue answers").isEqualTo(200);

        kafka.publish("/switchback/release-api", new PromoteRequested(release, "verified by hand"));
        kafka.await(BakeCompleted.class, release.id(), TIMEOUT);

        assertThat(status("/version")).as("promoted: green's own answer").isEqualTo(500);
    }

    @Test
    void shouldPassGreensFailuresOnOnceTheBakeHasPassed() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        ReleaseRef release = greenOver(blue, green, bake(1, PROBED));

        kafka.await(BakeCompleted.class, release.id(), TIMEOUT);
        green.status.set(500);

        assertThat(status("/version")).as("promoted: green's own answer").isEqualTo(500);
    }

    @Test
    void shouldGiveAFirstReleaseNoFallback() throws Exception {
        HttpBackend first = backend("1.0.0");
        cutOver("1.0.0", first, bake(600, QUIET));

        first.status.set(500);

        assertThat(status("/version")).isEqualTo(500);
    }

    @Test
    void shouldSetTheFallbackAgainWhenARestartedSwitcherReassertsARouteUnderBake() throws Exception {
        HttpBackend blue = backend("1.0.0");
        HttpBackend green = backend("1.1.0");
        greenOver(blue, green, bake(600, QUIET));
        green.status.set(500);
        // What a restarted embedded router would have before the recovery: green's weight, and no fallback.
        routers.named("embedded").setWeights(service + ".test", Map.of(green.endpoint(), 100));
        assertThat(status("/version")).isEqualTo(500);

        recovery.reassertAll();

        assertThat(status("/version")).isEqualTo(200);
        assertThat(blue.received()).isPositive();
    }

    /** Blue (1.0.0) live, then green (1.1.0) cut over with the given rollout. */
    private ReleaseRef greenOver(HttpBackend blue, HttpBackend green, RolloutSpec rollout) {
        cutOver("1.0.0", blue, bake(600, QUIET));
        return cutOver("1.1.0", green, rollout);
    }

    private int status(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
