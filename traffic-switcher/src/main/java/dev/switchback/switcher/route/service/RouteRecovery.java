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
 * At start, re-asserts every route the switcher owns (its {@code route} rows), canary weights and blue as the
 * fallback of a green under watch included, so a restarted switcher serves what it served. Each route is read under the same row lock a cutover takes: the consumer
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
        reassertAll();
    }

    /** Has every route's router serve what the database says, one route at a time; a failure is logged, not thrown. */
    public void reassertAll() {
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
                    canary.greenWeight), canary.fromEndpoint);
        } else if (route.liveEndpoint != null) {
            // A bake under way keeps blue as green's fallback, as the cutover set it.
            Cutover baking = Cutover.find("service = ?1 and environment = ?2 and state = ?3", key.service(),
                    key.environment(), CutoverState.BAKING).firstResult();
            String fallback = baking != null && route.liveEndpoint.equals(baking.toEndpoint) ? baking.fromEndpoint : null;
            outcome = shift.shift(route.driver, key.name(), Weights.of(null, route.liveEndpoint, 100), fallback);
        } else {
            return;
        }
        if (!outcome.done()) {
            LOG.errorf("cannot re-assert route %s: %s", key.name(), outcome.reason());
        }
    }
}
