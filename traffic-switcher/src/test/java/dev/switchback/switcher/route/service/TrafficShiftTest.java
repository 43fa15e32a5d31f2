package dev.switchback.switcher.route.service;

import dev.switchback.events.RouterSpec;
import dev.switchback.infra.Ports;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.Routers;
import dev.switchback.switcher.router.TestRouters;
import dev.switchback.switcher.router.Verification;
import dev.switchback.switcher.router.fake.FakeRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A shift waits for the router's "yes" within the deadline, and fails with the router's reason otherwise. */
class TrafficShiftTest {

    private static final String ROUTE = "app.test";
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final Map<String, Integer> GREEN = Map.of("http://127.0.0.1:9102", 100);

    private final TestRouters.Driver embedded = TestRouters.driver("embedded", Path.of("unused"));
    private final Counting counted = new Counting(embedded.router());
    private final FakeRouter fake = new FakeRouter();
    private final TrafficShift shift = new TrafficShift(new Routers(List.of(counted, fake)),
            TestRouters.switcher(DEADLINE));

    @AfterEach
    void stop() {
        embedded.close();
    }

    @Test
    void shouldBeDoneOnTheFirstVerificationOfARouterWhoseSwitchesShowAtOnce() {
        shift.ensure(ROUTE, new RouterSpec("embedded", Ports.free()));

        TrafficShift.Outcome outcome = shift.shift("embedded", ROUTE, GREEN);

        assertThat(outcome).isEqualTo(new TrafficShift.Outcome(true, ""));
        assertThat(counted.verifications.get()).isEqualTo(1);
    }

    @Test
    void shouldWaitForARouterThatSettlesWithinTheDeadline() {
        shift.ensure(ROUTE, new RouterSpec("fake", 0, Map.of(FakeRouter.SETTLE, "200")));
        long asked = System.nanoTime();

        TrafficShift.Outcome outcome = shift.shift("fake", ROUTE, GREEN);

        assertThat(outcome.done()).isTrue();
        assertThat((System.nanoTime() - asked) / 1_000_000).isGreaterThanOrEqualTo(200);
        assertThat(fake.weights(ROUTE)).isEqualTo(GREEN);
    }

    @Test
    void shouldFailWithTheRoutersReasonWhenItDoesNotSettleWithinTheDeadline() {
        shift.ensure(ROUTE, new RouterSpec("fake", 0, Map.of(FakeRouter.SETTLE, "never")));

        TrafficShift.Outcome outcome = shift.shift("fake", ROUTE, GREEN);

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.reason()).isEqualTo("router fake did not verify " + GREEN + " on " + ROUTE + " within "
                + DEADLINE + ": the route still serves {}, " + GREEN + " not settled yet");
    }

    @Test
    void shouldFailWithTheRoutersReasonWhenItRefusesTheWeights() {
        shift.ensure(ROUTE, new RouterSpec("embedded", Ports.free()));

        TrafficShift.Outcome outcome = shift.shift("embedded", ROUTE, Map.of("http://127.0.0.1:9102", 60));

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.reason()).contains("sum to 100");
    }

    @Test
    void shouldFailWhenTheRouteDoesNotExistOrTheDriverIsUnknown() {
        assertThat(shift.shift("embedded", ROUTE, GREEN).reason()).contains("does not exist");
        assertThat(shift.shift("nope", ROUTE, GREEN).reason()).isEqualTo("no router driver named nope");
    }

    /** A router that counts how often it is asked to verify. */
    private static final class Counting implements Router {
        private final Router router;
        private final AtomicInteger verifications = new AtomicInteger();

        Counting(Router router) {
            this.router = router;
        }

        @Override
        public String name() {
            return router.name();
        }

        @Override
        public void ensureRoute(String route, RouterSpec settings) {
            router.ensureRoute(route, settings);
        }

        @Override
        public void setWeights(String route, Map<String, Integer> weights) {
            router.setWeights(route, weights);
        }

        @Override
        public Verification verifyWeights(String route, Map<String, Integer> expected) {
            verifications.incrementAndGet();
            return router.verifyWeights(route, expected);
        }

        @Override
        public Map<String, Integer> weights(String route) {
            return router.weights(route);
        }

        @Override
        public void removeRoute(String route) {
            router.removeRoute(route);
        }

        @Override
        public Set<String> routes() {
            return router.routes();
        }
    }
}
