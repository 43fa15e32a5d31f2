package dev.switchback.deployer;

import dev.switchback.deployer.instance.messaging.PipelineEventConsumer;
import dev.switchback.events.BlueRetired;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.EventType;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenReady;
import dev.switchback.events.InstanceRetired;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.switchback.deployer.SampleApps.INSTANCES;
import static dev.switchback.deployer.SampleApps.TIMEOUT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Which events a retirement publishes (instance-retired always, blue-retired for a blue only), and outcomes delivered
 * twice at the same moment, as two replicas or a redelivery would, changing each instance once.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "deployer_test"))
class InstanceRetirementTest extends DeployerTest {

    @Inject
    PipelineEventConsumer consumer;


    @Test
    void shouldPublishInstanceRetiredAndNoBlueRetiredForARetiredGreen() {
        GreenReady green = deploy("1.0.0");

        kafka.publish("/switchback/release-api", new ReleaseCancelled(green.release(), "aborted"));

        InstanceRetired retired = kafka.await(InstanceRetired.class, green.release().id(), TIMEOUT);
        assertThat(retired.color()).isEqualTo(InstanceRetired.GREEN);
        assertThat(retired.instanceId()).isEqualTo(green.instanceId());
        assertThat(retired.endpoint()).isEqualTo(green.endpoint());
        assertThat(retired.version()).isEqualTo("1.0.0");
        // Events of one service and environment share a partition, in the order the deployer recorded them: once a
        // later one is seen, a blue-retired of the green would have been too.
        deploy("1.0.1");
        assertThat(kafka.typesOf(green.release().id(), Topics.DEPLOYMENTS))
                .contains(EventType.DEPLOYMENT_INSTANCE_RETIRED.type())
                .doesNotContain(EventType.DEPLOYMENT_BLUE_RETIRED.type());
    }

    @Test
    void shouldPublishBothInstanceRetiredAndBlueRetiredForARetiredBlue() {
        GreenReady oldest = deploy("1.0.0");
        GreenReady blue = deploy("1.1.0");
        GreenReady green = deploy("1.2.0");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(oldest.release(), 9999, null, oldest.endpoint()));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(blue.release(), 9999, oldest.endpoint(), blue.endpoint()));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(green.release(), 9999, blue.endpoint(), green.endpoint()));

        InstanceRetired retired = kafka.await(InstanceRetired.class, oldest.release().id(), TIMEOUT);
        BlueRetired blueRetired = kafka.await(BlueRetired.class, oldest.release().id(), TIMEOUT);

        assertThat(retired.color()).isEqualTo(InstanceRetired.BLUE);
        assertThat(retired.endpoint()).isEqualTo(oldest.endpoint());
        assertThat(blueRetired.instanceId()).isEqualTo(retired.instanceId()).isEqualTo(oldest.instanceId());
        assertThat(blueRetired.reason()).isEqualTo(retired.reason()).contains("cutover of 1.2.0");
    }

    @Test
    void shouldHandleTheNextEventWhileARetiredInstanceTakesItsTimeToExit() throws Exception {
        // Ignores SIGTERM: its stop waits 10 s for the exit before SIGKILL.
        ReleaseRef stubborn = new ReleaseRef(UUID.randomUUID().toString(), service, "test", "4.0.0");
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(stubborn,
                SampleApps.spec(List.of("sh", "-c", "trap '' TERM; exec java -jar {artifact}"), 30), "nothing to migrate"));
        GreenReady ready = kafka.await(GreenReady.class, stubborn.id(), TIMEOUT);
        long pid = Long.parseLong(Files.readString(INSTANCES.resolve(ready.instanceId() + ".pid")).trim());

        kafka.publish("/switchback/release-api", new ReleaseCancelled(stubborn, "aborted"));
        kafka.await(InstanceRetired.class, stubborn.id(), TIMEOUT);
        ReleaseRef next = new ReleaseRef(UUID.randomUUID().toString(), "other-" + service, "test", "1.0.0");
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(next, SampleApps.spec(SampleApps.COMMAND, 30),
                "nothing to migrate"));
        kafka.await(GreenDeploying.class, next.id(), TIMEOUT);

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("still exiting when the next event was handled")
                .contains(true);
        awaitState("4.0.0", "RETIRED");
        await().atMost(TIMEOUT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        await().atMost(TIMEOUT).until(() -> !Files.exists(INSTANCES.resolve(ready.instanceId() + ".pid")));
    }

    @ParameterizedTest(name = "same event id: {0}")
    @ValueSource(booleans = {true, false})
    void shouldChangeEachInstanceOnceWhenOneCutoverIsDeliveredTwiceAtOnce(boolean sameId) throws Exception {
        GreenReady oldest = deploy("2.0.0");
        GreenReady blue = deploy("2.1.0");
        GreenReady green = deploy("2.2.0");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(oldest.release(), 9999, null, oldest.endpoint()));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(blue.release(), 9999, oldest.endpoint(), blue.endpoint()));
        awaitState("2.0.0", "WARM");
        awaitState("2.1.0", "LIVE");

        deliverTwiceAtOnce(new CutoverCompleted(green.release(), 9999, blue.endpoint(), green.endpoint()), sameId);

        String trail = trail();
        assertThat(count(trail, green.instanceId() + ": READY -> LIVE")).isOne();
        assertThat(count(trail, blue.instanceId() + ": LIVE -> WARM")).isOne();
        assertThat(count(trail, oldest.instanceId() + ": WARM -> RETIRED")).isOne();
        // A later event of the same partition: everything the two deliveries published was seen before it.
        given().post("/instances/{id}/retire", blue.instanceId()).then().statusCode(200);
        kafka.await(InstanceRetired.class, blue.release().id(), TIMEOUT);
        assertThat(kafka.typesOf(oldest.release().id(), Topics.DEPLOYMENTS).stream()
                .filter(type -> type.endsWith("-retired"))).containsExactly(
                EventType.DEPLOYMENT_INSTANCE_RETIRED.type(), EventType.DEPLOYMENT_BLUE_RETIRED.type());
        // The stop follows the retirement's commit; its pid file goes once the process has exited.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(INSTANCES.resolve(oldest.instanceId() + ".pid")).doesNotExist());
    }

    @ParameterizedTest(name = "same event id: {0}")
    @ValueSource(booleans = {true, false})
    void shouldChangeEachInstanceOnceWhenOneRollbackIsDeliveredTwiceAtOnce(boolean sameId) throws Exception {
        GreenReady blue = deploy("3.0.0");
        GreenReady green = deploy("3.1.0");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(blue.release(), 9999, null, blue.endpoint()));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(green.release(), 9999, blue.endpoint(), green.endpoint()));
        awaitState("3.0.0", "WARM");
        awaitState("3.1.0", "LIVE");

        deliverTwiceAtOnce(new RollbackCompleted(green.release(), 9999, blue.endpoint(), "3.0.0"), sameId);

        String trail = trail();
        assertThat(count(trail, green.instanceId() + ": LIVE -> ISOLATED: rolled back")).isOne();
        assertThat(count(trail, blue.instanceId() + ": WARM -> LIVE")).isOne();
        given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '3.1.0' }.state", equalTo("ISOLATED"))
                .body("find { it.version == '3.0.0' }.state", equalTo("LIVE"));
    }

    /** Hands the consumer the same outcome from two threads released at the same instant. */
    private void deliverTwiceAtOnce(SwitchbackEvent outcome, boolean sameId) throws Exception {
        CloudEvent<SwitchbackEvent> first = CloudEvent.of("/switchback/traffic-switcher", outcome, OffsetDateTime.now());
        CloudEvent<SwitchbackEvent> second = sameId ? first
                : CloudEvent.of("/switchback/traffic-switcher", outcome, OffsetDateTime.now());
        assertThat(second.id().equals(first.id())).isEqualTo(sameId);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> deliveries = List.of(first, second).stream().map(event -> threads.submit(() -> {
                together.await();
                consumer.consume(new ConsumerRecord<>(Topics.TRAFFIC, 0, 0, event.data().release().key(),
                        EventCodec.encode(event)));
                return null;
            })).<Future<?>>map(future -> future).toList();
            for (Future<?> delivery : deliveries) {
                delivery.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private void awaitState(String version, String state) {
        await().atMost(TIMEOUT).untilAsserted(() -> given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '" + version + "' }.state", equalTo(state)));
    }

    private String trail() {
        return given().queryParam("service", service).get("/audit").then().statusCode(200).extract().asString();
    }

    private static long count(String trail, String change) {
        return trail.lines().filter(line -> line.contains(change)).count();
    }

    private GreenReady deploy(String version) {
        return SampleApps.deploy(kafka, new ReleaseRef(UUID.randomUUID().toString(), service, "test", version));
    }
}
