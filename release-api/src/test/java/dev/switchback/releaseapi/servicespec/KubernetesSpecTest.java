package dev.switchback.releaseapi.servicespec;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.ReleaseApiFixture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The {@code kubernetes} runtime driver's settings in a service spec: a spec Kubernetes would accept is registered
 * and read back as it was given; one it would refuse (names, image references, quantities) or that mixes what one
 * driver takes with another's is refused with problem+json, and nothing is stored.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "release_api_k8s_spec"))
class KubernetesSpecTest {

    /** GOOD_RUNTIME: a kubernetes runtime with every setting. */
    private static final String GOOD_RUNTIME = """
            {"driver": "kubernetes", "env": {"LOG_FORMAT": "json"},
             "kubernetes": {"namespace": "team-a", "image": "registry.example.com:5000/team/app:{version}",
                            "replicas": 3, "port": 8080,
                            "resources": {"requests": {"cpu": "250m", "memory": "128Mi"}, "limits": {"memory": "1Gi"}},
                            "readinessProbe": {"path": "/ready", "periodSeconds": 2},
                            "livenessProbe": {"initialDelaySeconds": 10}}}""";

    @BeforeEach
    void actAsAdmin() {
        Callers.actAs("ci", "admin");
    }

    @Test
    void shouldRegisterAKubernetesSpecAndReadItBackAsGiven() {
        String service = ReleaseApiFixture.newService("k8s");

        given().contentType(ContentType.JSON).body(spec(GOOD_RUNTIME)).put("/services/{s}/environments/production", service)
                .then().statusCode(201);

        given().get("/services/{s}/environments/production", service).then().statusCode(200)
                .body("runtime.driver", equalTo("kubernetes"))
                .body("runtime.kubernetes.namespace", equalTo("team-a"))
                .body("runtime.kubernetes.image", equalTo("registry.example.com:5000/team/app:{version}"))
                .body("runtime.kubernetes.replicas", equalTo(3))
                .body("runtime.kubernetes.resources.limits.memory", equalTo("1Gi"))
                .body("runtime.kubernetes.readinessProbe.path", equalTo("/ready"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // Namespaces are DNS-1123 labels.
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"Team_A\", \"image\": \"app:{version}\"}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"-team\", \"image\": \"app:{version}\"}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"image\": \"app:{version}\"}}",
            // Image references: {version} in the tag, lower-case paths, no digest, no shell.
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"registry.example.com/app:latest\"}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"registry.example.com/App:{version}\"}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}@sha256:0123456789abcdef0123456789abcdef\"}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}; rm -rf /\"}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"{version}\"}}",
            // Resources: known names and quantities only.
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\", \"resources\": {\"limits\": {\"nvidia.com/gpu\": \"1\"}}}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\", \"resources\": {\"requests\": {\"cpu\": \"lots\"}}}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\", \"replicas\": 0}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\", \"port\": 70000}}",
            "{\"driver\": \"kubernetes\", \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\", \"readinessProbe\": {\"path\": \"health\"}}}",
            // Each driver takes its own settings only.
            "{\"driver\": \"kubernetes\"}",
            "{\"driver\": \"kubernetes\", \"command\": [\"java\", \"-jar\", \"{artifact}\"], \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\"}}",
            "{\"driver\": \"process\", \"command\": [\"java\"], \"kubernetes\": {\"namespace\": \"team-a\", \"image\": \"app:{version}\"}}",
            "{\"driver\": \"process\"}",
            "{\"driver\": \"docker\", \"command\": [\"java\"]}"})
    void shouldRefuseWithProblemJsonAndStoreNothingWhenKubernetesWouldRefuseTheSettings(String runtime) {
        String service = ReleaseApiFixture.newService("k8s");

        given().contentType(ContentType.JSON).body(spec(runtime)).put("/services/{s}/environments/production", service)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400)).body("violations.size()", org.hamcrest.Matchers.greaterThan(0));

        given().get("/services/{s}/environments/production", service).then().statusCode(404);
    }

    @Test
    void shouldRefuseAServiceWhoseNameCannotNameItsDeployments() {
        String service = "s" + "x".repeat(54);

        given().contentType(ContentType.JSON).body(spec(GOOD_RUNTIME)).put("/services/{s}/environments/production", service)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("violations[0].field", equalTo("service"))
                .body("violations[0].message", containsString("at most 54 characters"));

        given().get("/services/{s}/environments/production", service).then().statusCode(404);
    }

    @Test
    void shouldRegisterTheKubernetesRouterOnAServicePortBesideTheKubernetesRuntime() {
        String service = ReleaseApiFixture.newService("k8s");
        String spec = "{\"runtime\": " + GOOD_RUNTIME + ", \"router\": {\"driver\": \"kubernetes\", \"port\": 80,"
                + " \"settings\": {\"namespace\": \"team-a\", \"mode\": \"service\"}},"
                + " \"rollout\": {\"bakeSeconds\": 60, \"analysis\": {\"metrics\": {\"source\": \"prometheus\"}}}}";

        given().contentType(ContentType.JSON).body(spec).put("/services/{s}/environments/production", service)
                .then().statusCode(201);

        given().get("/services/{s}/environments/production", service).then().statusCode(200)
                .body("router.driver", equalTo("kubernetes")).body("router.port", equalTo(80))
                .body("router.settings.namespace", equalTo("team-a"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // A Service's port may be privileged, a port the switcher's host listens on may not.
            "{\"driver\": \"embedded\", \"port\": 80}",
            "{\"driver\": \"nginx\", \"port\": 443}",
            // The kubernetes router needs its namespace, and the kubernetes runtime (below: process).
            "{\"driver\": \"kubernetes\", \"port\": 80}",
            "{\"driver\": \"kubernetes\", \"port\": 0, \"settings\": {\"namespace\": \"team-a\"}}",
            "{\"driver\": \"istio\", \"port\": 8080}"})
    void shouldRefuseARouterItsDriverCannotServe(String router) {
        String service = ReleaseApiFixture.newService("k8s");
        String spec = "{\"runtime\": " + GOOD_RUNTIME + ", \"router\": " + router + "}";

        given().contentType(ContentType.JSON).body(spec).put("/services/{s}/environments/production", service)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("violations.size()", org.hamcrest.Matchers.greaterThan(0));

        given().get("/services/{s}/environments/production", service).then().statusCode(404);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", ", \"rollout\": {\"bakeSeconds\": 60}",
            ", \"rollout\": {\"bakeSeconds\": 60, \"analysis\": {\"metrics\": {\"source\": \"router\"}}}"})
    void shouldRefuseABakeJudgedOnTheKubernetesRoutersCountersWhichItHasNot(String rollout) {
        String service = ReleaseApiFixture.newService("k8s");
        String spec = "{\"runtime\": " + GOOD_RUNTIME + ", \"router\": {\"driver\": \"kubernetes\", \"port\": 80,"
                + " \"settings\": {\"namespace\": \"team-a\"}}" + rollout + "}";

        given().contentType(ContentType.JSON).body(spec).put("/services/{s}/environments/production", service)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("violations.message", org.hamcrest.Matchers.hasItem(containsString("counts no requests")));

        given().get("/services/{s}/environments/production", service).then().statusCode(404);
    }

    @Test
    void shouldRegisterTheKubernetesRouterPromotingAtCutoverWithoutPrometheus() {
        String service = ReleaseApiFixture.newService("k8s");
        String spec = "{\"runtime\": " + GOOD_RUNTIME + ", \"router\": {\"driver\": \"kubernetes\", \"port\": 80,"
                + " \"settings\": {\"namespace\": \"team-a\"}}, \"rollout\": {\"bakeSeconds\": 0}}";

        given().contentType(ContentType.JSON).body(spec).put("/services/{s}/environments/production", service)
                .then().statusCode(201);
    }

    @Test
    void shouldRefuseTheKubernetesRouterInFrontOfProcesses() {
        String service = ReleaseApiFixture.newService("k8s");
        String spec = "{\"runtime\": {\"driver\": \"process\", \"command\": [\"java\", \"-jar\", \"{artifact}\"]},"
                + " \"router\": {\"driver\": \"kubernetes\", \"port\": 80, \"settings\": {\"namespace\": \"team-a\"}}}";

        given().contentType(ContentType.JSON).body(spec).put("/services/{s}/environments/production", service)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("violations.message", org.hamcrest.Matchers.hasItem(containsString("kubernetes runtime driver")));

        given().get("/services/{s}/environments/production", service).then().statusCode(404);
    }

    private static String spec(String runtime) {
        return "{\"runtime\": " + runtime + ", \"router\": {\"driver\": \"embedded\", \"port\": 20999},"
                + " \"health\": {\"path\": \"/health\", \"deadlineSeconds\": 60}}";
    }
}
