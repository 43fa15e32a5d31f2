package dev.switchback.deployer;

import dev.switchback.events.BlueChecked;
import dev.switchback.events.CutoverCompleted;
import dev.switchback.events.GreenReady;
import dev.switchback.events.MigrationSkipped;
import dev.switchback.events.ReleaseRef;
import dev.switchback.events.ReleaseSpec;
import dev.switchback.events.Topics;
import dev.switchback.infra.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.UUID;

import static dev.switchback.deployer.SampleApps.COMMAND;
import static dev.switchback.deployer.SampleApps.INSTANCES;
import static dev.switchback.deployer.SampleApps.TIMEOUT;
import static dev.switchback.deployer.SampleApps.answers;
import static dev.switchback.deployer.SampleApps.get;
import static dev.switchback.deployer.SampleApps.spec;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Roll forward: with blue broken, an ordinary release stops at blue's check and a fix release starts its green. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "deployer_test"))
class FixReleaseTest extends DeployerTest {

    @Override
    protected String servicePrefix() {
        return "fix";
    }

    private static final String FIX = "blue 1.0.0 lost its database connection pool; 1.0.1 reconnects";


    @Test
    void shouldStopAnOrdinaryReleaseAtABrokenBlueAndStartTheGreenOfAFixRelease() throws Exception {
        GreenReady blue = SampleApps.deploy(kafka, release("1.0.0"));
        kafka.publish("/switchback/traffic-switcher", new CutoverCompleted(blue.release(), 9999, null, blue.endpoint()));
        await().atMost(TIMEOUT).untilAsserted(() -> given().queryParam("service", service).get("/instances").then()
                .body("find { it.version == '1.0.0' }.state", equalTo("LIVE")));
        breakBlue(blue);

        ReleaseRef ordinary = release("1.0.1");
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(ordinary, spec(COMMAND, 30), "nothing to migrate"));
        BlueChecked stopped = kafka.await(BlueChecked.class, ordinary.id(), TIMEOUT);
        assertThat(stopped.healthy()).isFalse();
        assertThat(stopped.gateSkippedOrFalse()).isFalse();
        assertThat(stopped.endpoint()).isEqualTo(blue.endpoint());

        ReleaseRef fix = release("1.0.2");
        kafka.publish("/switchback/db-migrator", new MigrationSkipped(fix, fixSpec(), "nothing to migrate"));
        BlueChecked skipped = kafka.await(BlueChecked.class, fix.id(), TIMEOUT);
        assertThat(skipped.healthy()).as("blue's answer is recorded as it was").isFalse();
        assertThat(skipped.gateSkippedOrFalse()).isTrue();
        assertThat(skipped.reason()).contains("gate skipped for a fix release", FIX);
        GreenReady green = kafka.await(GreenReady.class, fix.id(), TIMEOUT);
        assertThat(get(green.endpoint() + "/version")).isEqualTo("1.0.2");

        assertThat(kafka.typesOf(ordinary.id(), Topics.DEPLOYMENTS)).as("no green for the ordinary release")
                .containsExactly("dev.switchback.deployment.blue-checked");
        String audit = given().queryParam("service", service).get("/audit").then().statusCode(200).extract().asString();
        assertThat(audit.lines().filter(line -> line.contains("release.blue-gate-skipped"))).singleElement()
                .asString().contains(fix.id(), FIX);
    }

    /** Blue's process dies: its health check no longer answers, and nothing starts it again until recovery. */
    private static void breakBlue(GreenReady blue) throws Exception {
        long pid = Long.parseLong(Files.readString(INSTANCES.resolve(blue.instanceId() + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get();
        assertThat(answers(blue.endpoint() + "/health")).isFalse();
    }

    private static ReleaseSpec fixSpec() {
        ReleaseSpec s = spec(COMMAND, 30);
        return new ReleaseSpec(s.artifact(), s.runtime(), s.router(), s.health(), s.database(), s.migrations(),
                s.phase(), s.schemaOnly(), s.rollout(), s.changeKind(), s.contractRelease(), null, FIX);
    }

    private ReleaseRef release(String version) {
        return new ReleaseRef(UUID.randomUUID().toString(), service, "test", version);
    }
}
