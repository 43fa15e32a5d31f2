package dev.switchback.switcher;

import dev.switchback.events.CloudEvent;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.CutoverFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.ReleaseFailed;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.RollbackFailed;
import dev.switchback.events.RollbackRequested;
import dev.switchback.events.RolloutSpec;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

/**
 * The switcher moving real HTTP traffic between real backends through a router, driven by Kafka: the same behaviour
 * is pinned for every router driver by one subclass each.
 */
abstract class SwitchServiceContract extends SwitcherFixture {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    @jakarta.inject.Inject
    dev.switchback.messaging.EndedReleases endedReleases;


    @Test
    void shouldSendTheRoutersTrafficToGreenAtCutover() throws Exception {
        String blue = backend("1.0.0", new AtomicInteger(200));
        String green = backend("1.1.0", new AtomicInteger(200));

        ReleaseRef first = cutOver("1.0.0", blue);
        assertThat(get("/version")).isEqualTo("1.0.0");
        ReleaseRef second = cutOver("1.1.0", green);

        assertThat(get("/version")).isEqualTo("1.1.0");
        CutoverCompleted completed = kafka.await(CutoverCompleted.class, second.id(), TIMEOUT);
        assertThat(completed.fromEndpoint()).isEqualTo(blue);
        assertThat(completed.toEndpoint()).isEqualTo(green);
        assertThat(kafka.typesOf(second.id(), Topics.TRAFFIC))
                .containsExactly("dev.switchback.traffic.cutover-started", "dev.switchback.traffic.cutover-completed");
        assertThat(kafka.await(CutoverCompleted.class, first.id(), TIMEOUT).fromEndpoint()).isNull();
        given().get("/routes").then().statusCode(200).body("endpoint", hasItem(green));
    }

    @Test
    void shouldSwitchBackToBlueOnRollbackOnceEvenIfAskedTwice() throws Exception {
        String blue = backend("1.0.0", new AtomicInteger(200));
        String green = backend("1.1.0", new AtomicInteger(200));
        cutOver("1.0.0", blue);
        ReleaseRef release = cutOver("1.1.0", green);

        CloudEvent<SwitchbackEvent> request = kafka.publish("/switchback/release-api", new RollbackRequested(release, "test"));
        kafka.republish(request);

        RollbackCompleted completed = kafka.await(RollbackCompleted.class, release.id(), TIMEOUT);
        assertThat(completed.restoredVersion()).isEqualTo("1.0.0");
        assertThat(completed.restoredEndpoint()).isEqualTo(blue);
        assertThat(get("/version")).isEqualTo("1.0.0");
        Thread.sleep(500);
        assertThat(kafka.typesOf(release.id(), Topics.TRAFFIC).stream()
                .filter(t -> t.equals("dev.switchback.traffic.rollback-completed"))).hasSize(1);
    }

    @Test
    void shouldKeepTrafficOnGreenWhenBlueIsNotHealthyForARollback() throws Exception {
        AtomicInteger blueHealth = new AtomicInteger(200);
        String blue = backend("1.0.0", blueHealth);
        String green = backend("1.1.0", new AtomicInteger(200));
        cutOver("1.0.0", blue);
        ReleaseRef release = cutOver("1.1.0", green);
        blueHealth.set(503);

        kafka.publish("/switchback/release-api", new RollbackRequested(release, "test"));

        assertThat(kafka.await(RollbackFailed.class, release.id(), TIMEOUT).reason()).contains("not healthy");
        assertThat(get("/version")).isEqualTo("1.1.0");
    }

    @Test
    void shouldRefuseToRollBackAFirstReleaseThatHasNoBlue() throws Exception {
        ReleaseRef release = cutOver("1.0.0", backend("1.0.0", new AtomicInteger(200)));

        kafka.publish("/switchback/release-api", new RollbackRequested(release, "test"));

        assertThat(kafka.await(RollbackFailed.class, release.id(), TIMEOUT).reason()).contains("no blue");
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldPutTrafficBackOnBlueWhenAReleaseEndsAfterItsCutover() throws Exception {
        String blue = backend("1.0.0", new AtomicInteger(200));
        cutOver("1.0.0", blue);
        ReleaseRef late = cutOver("1.1.0", backend("1.1.0", new AtomicInteger(200)));
        assertThat(get("/version")).isEqualTo("1.1.0");

        kafka.publish("/switchback/release-api", new ReleaseFailed(late, "watchdog", "stuck in SWITCHING for more than 120 s"));

        assertThat(kafka.await(RollbackCompleted.class, late.id(), TIMEOUT).restoredEndpoint()).isEqualTo(blue);
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldGiveNoTrafficToTheGreenOfAReleaseThatAlreadyEnded() throws Exception {
        cutOver("1.0.0", backend("1.0.0", new AtomicInteger(200)));
        ReleaseRef ended = new ReleaseRef(UUID.randomUUID().toString(), service, "test", "1.1.0");
        kafka.publish("/switchback/release-api", new ReleaseFailed(ended, "watchdog", "stuck in DEPLOYING"));
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> endedReleases.isEnded(ended.id()));

        kafka.publish("/switchback/deployer", new GreenReady(ended, spec(), "late", backend("1.1.0", new AtomicInteger(200))));

        assertThat(kafka.await(CutoverFailed.class, ended.id(), TIMEOUT).reason()).contains("already ended");
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    @Test
    void shouldFailACutoverToAPortAnotherServiceIsRoutedOn() throws Exception {
        cutOver("1.0.0", backend("1.0.0", new AtomicInteger(200)));
        ReleaseRef other = new ReleaseRef(UUID.randomUUID().toString(), "other-" + service, "test", "9.0.0");

        kafka.publish("/switchback/deployer", new GreenReady(other, spec(), "other-1", backend("9.0.0", new AtomicInteger(200))));

        assertThat(kafka.await(CutoverFailed.class, other.id(), TIMEOUT).reason()).contains("already routed");
        assertThat(get("/version")).isEqualTo("1.0.0");
    }

    private ReleaseRef cutOver(String version, String endpoint) {
        ReleaseRef release = new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
        kafka.publish("/switchback/deployer", new GreenReady(release, spec(), service + "-" + version, endpoint));
        kafka.await(CutoverCompleted.class, release.id(), TIMEOUT);
        return release;
    }

    /** A spec with a long bake, so a second cutover stays rollback-able for the whole test. */
    /** The router the tests run through. */
    abstract String driver();

    private ReleaseSpec spec() {
        return spec(driver(), new RolloutSpec(RolloutSpec.BLUE_GREEN, List.of(), 600, null));
    }

    /** A real HTTP backend answering its version, with a health status the test controls. */
    private String backend(String version, AtomicInteger health) throws IOException {
        return start(version, health).endpoint();
    }

}
