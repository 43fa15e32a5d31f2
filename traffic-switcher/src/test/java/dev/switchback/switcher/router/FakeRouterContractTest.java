package dev.switchback.switcher.router;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.router.fake.FakeRouter;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router contract through a router whose changes settle eventually and which counts nothing, as a cluster's
 * would: the same contract holds, "not yet" before "yes".
 */
class FakeRouterContractTest extends RouterContract {

    private static final long SETTLE_MILLIS = 300;

    private final FakeRouter.Cluster cluster = new FakeRouter.Cluster();

    @Override
    Router start(Path work) {
        return new FakeRouter(cluster);
    }

    /** The routes live in the cluster, which outlives the switcher. */
    @Override
    Router restart(Router previous, Path work) {
        return new FakeRouter(cluster);
    }

    @Override
    void stop(Router router) {
    }

    @Override
    boolean settlesAtOnce() {
        return false;
    }

    @Test
    void shouldAnswerNotYetUntilTheWeightsSettleThenYes() {
        router.ensureRoute(ROUTE, new RouterSpec("fake", port, Map.of(FakeRouter.SETTLE, Long.toString(SETTLE_MILLIS))));
        Map<String, Integer> weights = Map.of(green.endpoint(), 100);
        long asked = System.nanoTime();

        router.setWeights(ROUTE, weights);

        assertThat(router.verifyWeights(ROUTE, weights).answer()).isEqualTo(Verification.Answer.NOT_YET);
        assertThat(router.weights(ROUTE)).isEmpty();
        assertThat(verifyUntilYes(router, weights)).startsWith(Verification.Answer.NOT_YET)
                .endsWith(Verification.Answer.YES).doesNotContain(Verification.Answer.NO);
        assertThat((System.nanoTime() - asked) / 1_000_000).isGreaterThanOrEqualTo(SETTLE_MILLIS);
        assertThat(router.weights(ROUTE)).isEqualTo(weights);
    }

    @Test
    void shouldAnswerNotYetForeverWhenTheRouteNeverSettles() throws InterruptedException {
        router.ensureRoute(ROUTE, new RouterSpec("fake", port, Map.of(FakeRouter.SETTLE, "never")));
        Map<String, Integer> weights = Map.of(green.endpoint(), 100);

        router.setWeights(ROUTE, weights);
        Thread.sleep(500);

        Verification verification = router.verifyWeights(ROUTE, weights);
        assertThat(verification.answer()).isEqualTo(Verification.Answer.NOT_YET);
        assertThat(verification.reason()).contains("not settled");
        assertThat(router.weights(ROUTE)).isEmpty();
    }
}
