package dev.switchback.releaseapi.release;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query for the releases holding a queue ({@link Release#HOLDING}) agrees with {@link Lifecycle#holdsQueue} for
 * every phase, promoted or not, against the real database: the submission path and the watchdog read through it, and
 * neither may read a service's promoted history.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_test"))
class HoldingQueryTest {

    private static final String SPEC = """
            {"artifact": "/opt/app.jar", "runtime": {"command": ["java", "-jar", "{artifact}"]}, "router": {"port": 9997}}
            """;

    @BeforeEach
    void authenticate() {
        Callers.actAs("ci", "admin");
    }

    /** One environment per phase and promotion, so each combination is a queue of its own. */
    private static String environment(Phase phase, boolean promoted) {
        return phase.name().toLowerCase().replace('_', '-') + (promoted ? "-promoted" : "-unpromoted");
    }

    @Test
    void shouldFindExactlyTheReleasesThatHoldTheirQueueForEveryPhaseAndPromotion() {
        String service = ReleaseApiFixture.newService("holding");
        for (Phase phase : Phase.values()) {
            for (boolean promoted : new boolean[]{false, true}) {
                ReleaseApiFixture.register(service, environment(phase, promoted), SPEC);
            }
        }
        inTransactionRolledBack(() -> {
            List<UUID> holding = new ArrayList<>();
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            int i = 0;
            for (Phase phase : Phase.values()) {
                for (boolean promoted : new boolean[]{false, true}) {
                    Release release = release(service, environment(phase, promoted), phase, promoted, at.plusSeconds(i++));
                    if (Lifecycle.holdsQueue(phase, promoted)) {
                        holding.add(release.id);
                    }
                }
            }

            List<UUID> found = Release.holdingAll().stream().filter(r -> r.service.equals(service)).map(r -> r.id).toList();
            assertThat(found).containsExactlyInAnyOrderElementsOf(holding);
            assertThat(holding).as("in progress and live-but-not-promoted hold; the test must have some of each").hasSizeGreaterThan(4);
            for (Phase phase : Phase.values()) {
                for (boolean promoted : new boolean[]{false, true}) {
                    assertThat(Release.active(service, environment(phase, promoted)).isPresent())
                            .as("%s, promoted %s", phase, promoted).isEqualTo(Lifecycle.holdsQueue(phase, promoted));
                }
            }
        });
    }

    @Test
    void shouldFindTheReleaseInProgressBehindAPromotedHistory() {
        String service = ReleaseApiFixture.newService("history");
        ReleaseApiFixture.register(service, "prod", SPEC);
        inTransactionRolledBack(() -> {
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < 50; i++) {
                release(service, "prod", Phase.LIVE, true, at.plusSeconds(i));
            }
            UUID current = release(service, "prod", Phase.DEPLOYING, false, at.plusSeconds(60)).id;

            assertThat(Release.active(service, "prod").map(r -> r.id)).contains(current);
            assertThat(Release.active(service, "elsewhere")).isEmpty();
        });
    }

    /**
     * Runs the check in a transaction that is rolled back: the made-up releases are never seen by the application's
     * watchdog and queue, which share this database with the other tests.
     */
    private static void inTransactionRolledBack(Runnable check) {
        QuarkusTransaction.begin();
        try {
            check.run();
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    private static Release release(String service, String environment, Phase phase, boolean promoted, Instant at) {
        Release release = new Release();
        release.id = UUID.randomUUID();
        release.service = service;
        release.environment = environment;
        release.version = "1.0.0";
        release.spec = "{}";
        release.requestedAt = at;
        release.updatedAt = at;
        release.phase = phase;
        release.liveAt = phase == Phase.LIVE ? at : null;
        release.promotedAt = promoted ? at : null;
        release.persist();
        return release;
    }
}
