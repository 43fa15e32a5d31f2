package dev.switchback.deployer;

import dev.switchback.events.BakeCompleted;
import dev.switchback.events.BlueRetired;
import dev.switchback.events.CloudEvent;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenDeploying;
import dev.switchback.events.GreenFailed;
import dev.switchback.events.GreenReady;
import dev.switchback.events.InstanceRetired;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseCancelled;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.SwitchbackEvent;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.switchback.deployer.SampleApps.INSTANCES;
import static dev.switchback.deployer.SampleApps.SAMPLE_JAR;
import static dev.switchback.deployer.SampleApps.TIMEOUT;
import static dev.switchback.deployer.SampleApps.answers;
import static dev.switchback.deployer.SampleApps.get;
import static dev.switchback.deployer.SampleApps.spec;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The deployer starting real sample-app processes, gating them on health and retiring them, through real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "deployer_test"))
class DeploymentServiceTest extends DeployerTest {


    @BeforeEach
    void setUp() {
        assertThat(SAMPLE_JAR).as("sample-app is built before the deployer").exists();
    }

    @Test
    void shouldStartGreenAndCallItReadyOnceItAnswersItsHealthCheck() throws Exception {
        ReleaseRef release = release("1.1.0");
        CloudEvent<SwitchbackEvent> skipped = kafka.publish("/switchback/db-migrator",
                new MigrationSkipped(release, spec(List.of("java", "-jar", "{artifact}"), 30), "nothing to migrate"));
        kafka.republish(skipped);

        GreenReady ready = kafka.await(GreenReady.class, release.id(), TIMEOUT);

        assertThat(get(ready.endpoint() + "/version")).isEqualTo("1.1.0");
        assertThat(ready.spec().router().port()).isEqualTo(9999);
        assertThat(INSTANCES.resolve(ready.instanceId() + ".pid")).exists();
        assertThat(kafka.typesOf(release.id(), Topics.DEPLOYMENTS)).as("a redelivered request starts nothing twice")
                .containsExactly("dev.switchback.deployment.blue-checked", "dev.switchback.deployment.green-deploying",
                        "dev.switchback.deployment.green-ready");
    }

    @Test
    void shouldFailGreenThatNeverGetsHealthyAndKeepItIsolatedForAnalysis() throws Exception {
        ReleaseRef release = release("1.2.0-unhealthy");
        kafka.publish("/switchback/db-migrator",
                new MigrationSkipped(release, spec(List.of("java", "-jar", "{artifact}"), 3), "nothing to migrate"));

        GreenFailed failed = kafka.await(GreenFailed.class, release.id(), TIMEOUT);

        assertThat(failed.reason()).contains("not healthy by its deadline").contains("503");
        String endpoint = kafka.await(GreenDeploying.class, release.id(), TIMEOUT).endpoint();
        assertThat(get(endpoint + "/version")).as("isolated green still runs").isEqualTo("1.2.0-unhealthy");
        assertThat(kafka.typesOf(release.id(), Topics.DEPLOYMENTS)).doesNotContain("dev.switchback.deployment.green-ready");
    }

    @Test
    void shouldFailGreenWhoseProcessCannotStartOrExits() {
        ReleaseRef missing = release("1.3.0");
        kafka.publish("/switchback/db-migrator",
                new MigrationSkipped(missing, spec(List.of("/nonexistent/bin/app"), 30), "nothing to migrate"));
        ReleaseRef exiting = release("1.3.1");
        kafka.publish("/switchback/db-migrator",
                new MigrationSkipped(exiting, spec(List.of("java", "-jar", "/nonexistent/app.jar"), 30), "nothing to migrate"));

        assertThat(kafka.await(GreenFailed.class, missing.id(), TIMEOUT).reason()).contains("could not start");
        assertThat(kafka.await(GreenFailed.class, exiting.id(), TIMEOUT).reason()).contains("exited");
    }

    @Test
    void shouldKeepBlueWarmAndRetireOlderInstancesAfterACutover() throws Exception {
        GreenReady oldest = deploy("1.0.0");
        GreenReady blue = deploy("1.1.0");
        GreenReady green = deploy("1.2.0");

        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(oldest.release(), 9999, null, oldest.endpoint()));
        kafka.publish("/switchback/traffic-switcher",
                new CutoverCompleted(blue.release(), 9999, oldest.endpoint(), blue.endpoint()));
        assertThat(answers(oldest.endpoint() + "/version")).as("blue of the second release is kept warm").isTrue();
        kafka.publish("/switchback/traffic-switcher",
                new CutoverCompleted(green.release(), 9999, blue.endpoint(), green.endpoint()));

        BlueRetired retired = kafka.await(BlueRetired.class, oldest.release().id(), TIMEOUT);
        assertThat(retired.retiredVersion()).isEqualTo("1.0.0");
        await().atMost(TIMEOUT).until(() -> !answers(oldest.endpoint() + "/version"));
        assertThat(get(blue.endpoint() + "/version")).isEqualTo("1.1.0");
        assertThat(get(green.endpoint() + "/version")).isEqualTo("1.2.0");
        // The stop follows the retirement's commit; its pid file goes once the process has exited.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(INSTANCES.resolve(retired.instanceId() + ".pid")).doesNotExist());
    }

    @Test
    void shouldLetBlueDrainBeforeRetiringItWhenTheBakeEndsAtOnce() throws Exception {
        GreenReady blue = deploy("1.0.0");
        GreenReady green = deploy("1.1.0");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(blue.release(), 9999, null, blue.endpoint()));
        var cutover = kafka.publish("/switchback/traffic-switcher",
                new CutoverCompleted(green.release(), 9999, blue.endpoint(), green.endpoint()));
        // A bake of 0 s: promoted within milliseconds of the switch, while blue may still serve what it took before.
        kafka.publish("/switchback/traffic-switcher", new BakeCompleted(green.release(), "bake of 0 s", 0, 0, null));

        await().atMost(TIMEOUT).untilAsserted(() -> given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '1.0.0' }.reason", org.hamcrest.Matchers.startsWith("draining until")));
        assertThat(get(blue.endpoint() + "/version")).as("running while it drains").isEqualTo("1.0.0");
        // The cutover delivered again while blue drains changes nothing.
        kafka.republish(cutover);

        BlueRetired retired = kafka.await(BlueRetired.class, blue.release().id(), TIMEOUT);
        assertThat(retired.reason()).startsWith("release 1.1.0 was promoted");
        java.time.OffsetDateTime retiredAt = kafka.ofRelease(blue.release().id()).stream()
                .filter(event -> event.data() instanceof BlueRetired).findFirst().orElseThrow().time();
        assertThat(Duration.between(cutover.time(), retiredAt)).as("the drain (2 s in tests)")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        await().atMost(TIMEOUT).until(() -> !answers(blue.endpoint() + "/version"));
    }

    @Test
    void shouldRetireWarmBlueOnceTheBakeEndsWell() throws Exception {
        GreenReady blue = deploy("1.0.0");
        GreenReady green = deploy("1.1.0");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(blue.release(), 9999, null, blue.endpoint()));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(green.release(), 9999, blue.endpoint(), green.endpoint()));
        await().atMost(TIMEOUT).untilAsserted(() -> given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '1.0.0' }.state", equalTo("WARM")));
        assertThat(get(blue.endpoint() + "/version")).as("warm through the bake").isEqualTo("1.0.0");

        kafka.publish("/switchback/traffic-switcher", new BakeCompleted(green.release(), "bake passed", 10, 0, null));

        BlueRetired retired = kafka.await(BlueRetired.class, blue.release().id(), TIMEOUT);
        assertThat(retired.reason()).contains("promoted");
        await().atMost(TIMEOUT).until(() -> !answers(blue.endpoint() + "/version"));
        assertThat(get(green.endpoint() + "/version")).isEqualTo("1.1.0");
        given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '1.0.0' }.state", equalTo("RETIRED"))
                .body("find { it.version == '1.1.0' }.state", equalTo("LIVE"));
    }

    @Test
    void shouldTearDownTheGreenOfAnAbortedRelease() {
        GreenReady green = deploy("2.0.0");

        kafka.publish("/switchback/release-api", new ReleaseCancelled(green.release(), "aborted: wrong build"));

        assertThat(kafka.await(InstanceRetired.class, green.release().id(), TIMEOUT).reason()).contains("wrong build");
        await().atMost(TIMEOUT).until(() -> !answers(green.endpoint() + "/version"));
    }

    @Test
    void shouldKeepAnIsolatedGreenThroughLaterCutoversUntilAnOperatorRetiresIt() throws Exception {
        ReleaseRef failing = release("3.0.0-unhealthy");
        kafka.publish("/switchback/db-migrator",
                new MigrationSkipped(failing, spec(List.of("java", "-jar", "{artifact}"), 3), "nothing to migrate"));
        GreenFailed failed = kafka.await(GreenFailed.class, failing.id(), TIMEOUT);
        String isolated = kafka.await(GreenDeploying.class, failing.id(), TIMEOUT).endpoint();
        GreenReady next = deploy("3.0.1");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(next.release(), 9999, null, next.endpoint()));
        await().atMost(TIMEOUT).untilAsserted(() -> given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '3.0.1' }.state", equalTo("LIVE")));

        assertThat(get(isolated + "/version")).as("isolated green kept for analysis").isEqualTo("3.0.0-unhealthy");
        given().post("/instances/{id}/retire", next.instanceId()).then().statusCode(409)
                .contentType("application/problem+json");
        // Retiring by hand is an admin's call, in the admin's environments; a refusal leaves the instance running.
        given().header("Authorization", "").post("/instances/{id}/retire", failed.instanceId()).then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", Callers.bearer("ci", "releaser")).post("/instances/{id}/retire", failed.instanceId())
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + dev.switchback.infra.auth.Tokens.forTests().token("elsewhere-admin",
                        List.of("admin"), List.of("elsewhere"), Duration.ofMinutes(5)))
                .post("/instances/{id}/retire", failed.instanceId()).then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("elsewhere"));
        given().header("Authorization", Callers.bearer("ci", "viewer")).queryParam("service", service).get("/instances")
                .then().statusCode(200).body("find { it.version == '3.0.0-unhealthy' }.state", equalTo("ISOLATED"));
        assertThat(get(isolated + "/version")).isEqualTo("3.0.0-unhealthy");
        given().post("/instances/{id}/retire?reason=analysed", failed.instanceId()).then().statusCode(200)
                .body("state", equalTo("RETIRED"));
        await().atMost(TIMEOUT).until(() -> !answers(isolated + "/version"));
        assertThat(kafka.await(InstanceRetired.class, failing.id(), TIMEOUT).reason()).isEqualTo("analysed");
        given().post("/instances/{id}/retire", "no-such-instance").then().statusCode(404);
        // The operator's act is in the deployer's audit trail under the token's subject; the pipeline's too.
        String trail = given().queryParam("service", service).get("/audit").then().statusCode(200).extract().asString();
        assertThat(trail.lines().filter(line -> line.contains("ISOLATED -> RETIRED: analysed"))).singleElement()
                .asString().contains("\"actor\":\"ci\"", "\"action\":\"instance.state\"");
        assertThat(trail.lines().filter(line -> line.contains("new -> STARTING"))).allMatch(line -> line.contains("\"actor\":\"pipeline\""));
        given().get("/audit/verify").then().statusCode(200).body("status", equalTo("ok"));
    }

    @jakarta.inject.Inject
    dev.switchback.deployer.instance.service.Recovery deployments;

    @Test
    void shouldStartALostLiveInstanceAgainOnItsPortWhenRecovering() throws Exception {
        GreenReady live = deploy("4.0.0");
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(live.release(), 9999, null, live.endpoint()));
        await().atMost(TIMEOUT).untilAsserted(() -> given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '4.0.0' }.state", equalTo("LIVE")));
        long pid = Long.parseLong(Files.readString(INSTANCES.resolve(live.instanceId() + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get();
        assertThat(answers(live.endpoint() + "/version")).isFalse();

        deployments.recover();

        await().atMost(TIMEOUT).until(() -> answers(live.endpoint() + "/version"));
        assertThat(get(live.endpoint() + "/version")).as("same port, so the router's endpoint holds").isEqualTo("4.0.0");
        long newPid = Long.parseLong(Files.readString(INSTANCES.resolve(live.instanceId() + ".pid")).trim());
        assertThat(newPid).isNotEqualTo(pid);
        deployments.recover();
        assertThat(Long.parseLong(Files.readString(INSTANCES.resolve(live.instanceId() + ".pid")).trim()))
                .as("a running instance is adopted, not restarted").isEqualTo(newPid);
    }

    private GreenReady deploy(String version) {
        return SampleApps.deploy(kafka, release(version));
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
    }
}
