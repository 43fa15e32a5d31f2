package dev.switchback.switcher.route.service;

import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.switcher.router.Router;
import dev.switchback.switcher.router.Routers;
import dev.switchback.switcher.router.Verification;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Moves a route's traffic: asks the router for the weights, then asks it to verify them until it answers "yes",
 * within {@code verify-deadline}. A router whose changes show at once answers yes on the first check, with no wait; one
 * that settles eventually answers "not yet" meanwhile. "No", the deadline, or a router refusing the change fail the
 * shift with the router's reason, never with an exception.
 */
@ApplicationScoped
public class TrafficShift {

    private static final Logger LOG = Logger.getLogger(TrafficShift.class);

    /**
     * How a shift ended.
     *
     * @param done   whether the router verified the weights
     * @param reason why not, when not
     */
    public record Outcome(boolean done, String reason) {
        static final Outcome DONE = new Outcome(true, "");

        static Outcome failed(String reason) {
            return new Outcome(false, reason);
        }
    }

    private final Routers routers;
    private final SwitcherConfig config;

    public TrafficShift(Routers routers, SwitcherConfig config) {
        this.routers = routers;
        this.config = config;
    }

    /** Makes the route exist in its router; throws with the router's reason when it cannot. */
    public void ensure(String route, RouterSpec settings) {
        routers.named(settings.driver()).ensureRoute(route, settings);
    }

    /** Sets the route's weights, with no fallback, and waits for the router to verify them. */
    public Outcome shift(String driver, String route, Map<String, Integer> weights) {
        return shift(driver, route, weights, null);
    }

    /**
     * Sets the route's weights and fallback ({@link Router#setWeights(String, Map, String)}; null for none) and waits
     * for the router to verify the weights.
     */
    public Outcome shift(String driver, String route, Map<String, Integer> weights, String fallback) {
        Router router;
        try {
            router = routers.named(driver);
            router.setWeights(route, weights, fallback);
        } catch (RuntimeException e) {
            return Outcome.failed(message(e));
        }
        return await(router, route, weights);
    }

    /** Sets the weights as a best effort, for putting traffic back after a failed shift: failures are only logged. */
    public void restore(String driver, String route, Map<String, Integer> weights) {
        Outcome outcome = shift(driver, route, weights);
        if (!outcome.done()) {
            LOG.errorf("cannot put %s back to %s: %s", route, weights, outcome.reason());
        }
    }

    private Outcome await(Router router, String route, Map<String, Integer> weights) {
        long deadline = System.nanoTime() + config.verifyDeadline().toNanos();
        while (true) {
            Verification verification;
            try {
                verification = router.verifyWeights(route, weights);
            } catch (RuntimeException e) {
                return Outcome.failed("router " + router.name() + " cannot verify " + route + ": " + message(e));
            }
            switch (verification.answer()) {
                case YES -> {
                    return Outcome.DONE;
                }
                case NO -> {
                    return Outcome.failed(verification.reason());
                }
                case NOT_YET -> {
                    if (System.nanoTime() >= deadline) {
                        return Outcome.failed("router " + router.name() + " did not verify " + weights + " on " + route
                                + " within " + config.verifyDeadline() + ": " + verification.reason());
                    }
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            TimeUnit.MILLISECONDS.sleep(Math.max(1, config.verifyInterval().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying a switch", e);
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
