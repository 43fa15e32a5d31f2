package dev.switchback.switcher.route.service;

import dev.switchback.switcher.route.Cutover;
import dev.switchback.switcher.route.CutoverState;
import dev.switchback.switcher.route.Route;
import dev.switchback.switcher.router.Weights;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * At start, re-asserts every route the switcher owns (its {@code route} rows), canary weights included, so a
 * restarted switcher serves what it served. Each route is read under the same row lock a cutover takes: the consumer
 * (or another replica) may already be cutting over, and the router must end up where the database says, not where it
 * said a moment before.
 */
@ApplicationScoped
public class RouteRecovery {

    private static final Logger LOG = Logger.getLogger(RouteRecovery.class);

    private final TrafficShift shift;

    public RouteRecovery(TrafficShift shift) {
        this.shift = shift;
    }

    void reassert(@Observes StartupEvent startup) {
        List<Route.Key> keys = QuarkusTransaction.requiringNew()
                .call(() -> Route.<Route>listAll().stream().map(route -> route.id).toList());
        for (Route.Key key : keys) {
            try {
                QuarkusTransaction.requiringNew().run(() -> reassert(key));
            } catch (RuntimeException e) {
                LOG.errorf("cannot re-assert route %s: %s", key.name(), e.getMessage());
            }
        }
    }

    private void reassert(Route.Key key) {
        Route route = Route.findById(key, LockModeType.PESSIMISTIC_WRITE);
        shift.ensure(key.name(), route.routerSpec());
        Cutover canary = Cutover.find("service = ?1 and environment = ?2 and state = ?3", key.service(),
                key.environment(), CutoverState.CANARY).firstResult();
        TrafficShift.Outcome outcome;
        if (canary != null) {
            outcome = shift.shift(route.driver, key.name(), Weights.of(canary.fromEndpoint, canary.toEndpoint,
                    canary.greenWeight));
        } else if (route.liveEndpoint != null) {
            outcome = shift.shift(route.driver, key.name(), Weights.of(null, route.liveEndpoint, 100));
        } else {
            return;
        }
        if (!outcome.done()) {
            LOG.errorf("cannot re-assert route %s: %s", key.name(), outcome.reason());
        }
    }
}
