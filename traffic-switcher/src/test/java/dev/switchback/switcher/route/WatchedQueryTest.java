package dev.switchback.switcher.route;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.switcher.route.service.SwitchService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cutovers the analysis loop watches, read with their routes in one query: every cutover in a watched state, each
 * with its own route's name and driver, and none that ended. Its rows live in a transaction rolled back at the end.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "traffic_switcher_test"))
class WatchedQueryTest {

    @Inject
    SwitchService switches;

    @Test
    void shouldListEveryWatchedCutoverWithItsOwnRouteAndNoEndedOne() throws Exception {
        String prefix = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        QuarkusTransaction.begin();
        try {
            for (CutoverState state : CutoverState.values()) {
                String service = prefix + "-" + state.name().toLowerCase();
                // Ports below 1024: no other test's route (free ports, above 32767) takes one.
                route(service, state == CutoverState.CANARY ? "nginx" : "embedded", 900 + state.ordinal());
                cutover(service, state);
            }

            List<SwitchService.Watched> watched = switches.watched().stream()
                    .filter(w -> w.service().startsWith(prefix)).toList();

            List<String> expected = java.util.Arrays.stream(CutoverState.values()).filter(CutoverState::isWatched)
                    .map(state -> prefix + "-" + state.name().toLowerCase()).toList();
            assertThat(watched).extracting(SwitchService.Watched::service).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(watched).allSatisfy(w -> {
                assertThat(w.route()).isEqualTo(w.service() + ".test");
                assertThat(w.driver()).isEqualTo(w.service().endsWith("-canary") ? "nginx" : "embedded");
                assertThat(w.window()).startsWith(w.service().endsWith("-canary") ? "CANARY/" : "BAKING/");
            });
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    private static void route(String service, String driver, int port) {
        Route route = new Route();
        route.id = new Route.Key(service, "test");
        route.driver = driver;
        route.port = port;
        route.updatedAt = Instant.now();
        route.persist();
    }

    private static void cutover(String service, CutoverState state) {
        Cutover cutover = new Cutover();
        cutover.releaseId = UUID.randomUUID().toString();
        cutover.service = service;
        cutover.environment = "test";
        cutover.port = 1;
        cutover.version = "1.1.0";
        cutover.toEndpoint = "http://127.0.0.1:1";
        cutover.healthPath = "/health";
        cutover.state = state;
        cutover.createdAt = Instant.now();
        cutover.updatedAt = Instant.now();
        cutover.persist();
    }
}
