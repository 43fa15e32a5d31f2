package dev.switchback.switcher.router;

import dev.switchback.events.RouterSpec;
import dev.switchback.infra.Ports;
import dev.switchback.infra.test.HttpBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Router} must do, whatever its provider, pinned once and run by one subclass per router
 * (embedded, nginx, and a fake whose changes settle eventually): weights asked for verify "yes" within a deadline
 * and "not yet" at most until then, never "no"; weights not asked for never verify "yes"; a split goes back to blue
 * in one step; routes are listed and removed; and a restarted switcher that re-asserts a route serves the same.
 */
abstract class RouterContract extends RouterFixture {

    static final Duration DEADLINE = Duration.ofSeconds(5);

    /** The router of a restarted switcher, on the same state as {@code previous}; the previous one is done with. */
    abstract Router restart(Router previous, Path work);

    /** Whether the router's changes show at once: then it must verify "yes" on the first check, with no wait. */
    abstract boolean settlesAtOnce();

    /** The route's router spec; a router on a cluster adds its own settings. */
    RouterSpec spec(int port) {
        return TestRouters.at(port);
    }

    /** The endpoint the switcher would be given for a backend; a router on a cluster routes to its Service's name. */
    String endpoint(HttpBackend backend) {
        return backend.endpoint();
    }

    @Test
    void shouldVerifyYesOnceTheWeightsAskedForAreServed() {
        router.ensureRoute(ROUTE, spec(port));
        Map<String, Integer> weights = Map.of(endpoint(blue), 100);

        router.setWeights(ROUTE, weights);

        List<Verification.Answer> answers = verifyUntilYes(router, weights);
        assertThat(answers).last().isEqualTo(Verification.Answer.YES);
        assertThat(answers).doesNotContain(Verification.Answer.NO);
        if (settlesAtOnce()) {
            assertThat(answers).containsExactly(Verification.Answer.YES);
        }
        assertThat(router.weights(ROUTE)).isEqualTo(weights);
        assertThat(router.current(ROUTE)).contains(endpoint(blue));
    }

    @Test
    void shouldNeverVerifyWeightsItWasNotAskedFor() {
        router.ensureRoute(ROUTE, spec(port));
        router.route(ROUTE, endpoint(blue));
        verifyUntilYes(router, Map.of(endpoint(blue), 100));

        Verification other = router.verifyWeights(ROUTE, Map.of(endpoint(green), 100));

        assertThat(other.answer()).isEqualTo(Verification.Answer.NO);
        assertThat(other.reason()).isNotBlank();
    }

    @Test
    void shouldSplitTrafficThenGoBackToBlueInOneStep() {
        router.ensureRoute(ROUTE, spec(port));
        Map<String, Integer> split = split(30);
        router.setWeights(ROUTE, split);
        assertThat(verifyUntilYes(router, split)).last().isEqualTo(Verification.Answer.YES);
        assertThat(router.weights(ROUTE)).isEqualTo(split);
        assertThat(router.current(ROUTE)).isEmpty();

        router.route(ROUTE, endpoint(blue));

        assertThat(verifyUntilYes(router, Map.of(endpoint(blue), 100))).last().isEqualTo(Verification.Answer.YES);
        assertThat(router.current(ROUTE)).contains(endpoint(blue));
    }

    @Test
    void shouldListItsRoutesAndForgetARemovedOne() {
        router.ensureRoute(ROUTE, spec(port));
        router.ensureRoute(ROUTE, spec(port));
        assertThat(router.routes()).contains(ROUTE);

        router.removeRoute(ROUTE);

        assertThat(router.routes()).doesNotContain(ROUTE);
        assertThat(router.weights(ROUTE)).isEmpty();
        assertThat(router.verifyWeights(ROUTE, Map.of(endpoint(blue), 100)).answer()).isEqualTo(Verification.Answer.NO);
        router.removeRoute(ROUTE);
    }

    @Test
    void shouldServeTheSameWeightsAfterARestartReassertsTheRoute() {
        router.ensureRoute(ROUTE, spec(port));
        Map<String, Integer> split = split(70);
        router.setWeights(ROUTE, split);
        verifyUntilYes(router, split);

        router = restart(router, temp.resolve("work"));
        router.ensureRoute(ROUTE, spec(port));
        router.setWeights(ROUTE, split);

        assertThat(verifyUntilYes(router, split)).last().isEqualTo(Verification.Answer.YES);
        assertThat(router.weights(ROUTE)).isEqualTo(split);
        assertThat(router.routes()).contains(ROUTE);
    }

    /** Blue keeps what green does not take. */
    Map<String, Integer> split(int greenWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(endpoint(blue), 100 - greenWeight);
        weights.put(endpoint(green), greenWeight);
        return weights;
    }

    /** Every answer the router gives, asked as the switcher asks, until "yes", "no" or the deadline. */
    static List<Verification.Answer> verifyUntilYes(Router router, Map<String, Integer> weights) {
        List<Verification.Answer> answers = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Verification.Answer answer = router.verifyWeights(ROUTE, weights).answer();
            answers.add(answer);
            if (answer != Verification.Answer.NOT_YET || System.nanoTime() > deadline) {
                return answers;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answers;
            }
        }
    }
}
