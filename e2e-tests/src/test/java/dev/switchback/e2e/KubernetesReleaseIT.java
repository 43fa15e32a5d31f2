package dev.switchback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchback.events.AnalysisFailed;
import dev.switchback.events.BakeCompleted;
import dev.switchback.events.EventCodec;
import dev.switchback.events.RollbackCompleted;
import dev.switchback.infra.Ports;
import dev.switchback.infra.PrometheusServer;
import dev.switchback.infra.suite.Suite;
import dev.switchback.infra.test.KafkaEvents;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole suite releasing onto a cluster: the deployer's and the switcher's {@code kubernetes} drivers talk to
 * fabric8's mock API server (CRUD mode, on a real port), {@link PlayedPods} plays the Deployment controller and
 * kubelet with one real sample-app process per pod, scraped by the suite's real Prometheus with the pod's labels, and
 * {@link PlayedServiceProxy} plays cluster DNS and kube-proxy. Users' traffic goes to the stable Service, so it reaches
 * whichever pods its selector picks: a good release is promoted on its Prometheus series and blue retired (scaled to
 * zero, then deleted); a release whose error series rise is switched back by analysis alone, its pods kept out of
 * every selection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesReleaseIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String SERVICE = "checkout";
    private static final String ENVIRONMENT = "staging";
    private static final String NAMESPACE = "shop";
    /** STABLE: the stable Service users call, through the played kube-proxy. */
    private static final String STABLE = "http://" + SERVICE + "." + NAMESPACE + ".svc:80/version";
    /** Two pods per release; intervals of 2 s over a 1 s scrape; a bake long enough for Prometheus to find new pods. */
    private static final String SPEC = """
            {"runtime": {"driver": "kubernetes",
                         "kubernetes": {"namespace": "%s", "image": "registry.example.com/shop/checkout:{version}",
                                        "replicas": 2, "port": 8080, "readinessProbe": {"periodSeconds": 1}}},
             "router": {"driver": "kubernetes", "port": 80, "settings": {"namespace": "%s"}},
             "health": {"path": "/health", "deadlineSeconds": 60},
             "rollout": {"strategy": "blue-green", "bakeSeconds": 14,
                         "analysis": {"intervalMillis": 2000, "maxErrorRate": 0.05, "maxP99Millis": 1000,
                                      "minRequests": 5, "metrics": {"source": "prometheus"}}}}
            """.formatted(NAMESPACE, NAMESPACE);

    /** KUBECONFIG: the mock API server, plain HTTP; it checks no credentials, the token is there as a real one is. */
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
            users: [{name: switchback, user: {token: not-checked-by-the-mock}}]
            contexts: [{name: mock, context: {cluster: mock, user: switchback, namespace: %s}}]
            current-context: mock
            """;

    /** MOCK_LOG: held, so the level stays: the mock server logs every request it answers at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private KubernetesMockServer cluster;
    private KubernetesClient client;
    private PlayedPods pods;
    private PlayedServiceProxy proxy;
    private Suite suite;
    private KafkaEvents kafka;
    private HttpClient users;
    private Thread load;
    private volatile boolean loading = true;
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private String goodId;

    @BeforeAll
    void startSuiteAgainstTheMockCluster() throws IOException {
        assumeTrue(PrometheusServer.installed(), "skipped: " + PrometheusServer.BINARY + " is missing; install Debian's"
                + " prometheus package (.ci/run does) to run the kubernetes release end to end");
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        cluster = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()), false);
        cluster.init(InetAddress.getByName("127.0.0.1"), Ports.free());
        client = cluster.createClient();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        Path root = Path.of(System.getProperty("switchback.root", "..")).toAbsolutePath().normalize();
        Path home = root.resolve("e2e-tests/target/kubernetes");
        pods = new PlayedPods(client, NAMESPACE, root.resolve("sample-app/target/sample-app.jar"), home.resolve("pods"),
                target -> suite.prometheus().scrape(target));
        proxy = PlayedServiceProxy.start(client, pods);
        // The services find the cluster as users' do, through a kubeconfig (the system property beside KUBECONFIG).
        Path kubeconfig = home.resolve("kubeconfig");
        Files.createDirectories(home);
        Files.writeString(kubeconfig, KUBECONFIG.formatted(cluster.getPort(), NAMESPACE));
        suite = Suites.start("kubernetes", false, List.of("-Dkubeconfig=" + kubeconfig,
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxy.port(),
                // Prometheus scrapes the pods PlayedPods lists, as a cluster's discovery would, not the deployer's list.
                "-Dswitchback.deployer.scrape-targets-file=" + home.resolve("deployer-targets.json")));
        kafka = new KafkaEvents(suite.config().kafkaBootstrap());
        HttpResponse<String> registered = suite.send("PUT", "/services/" + SERVICE + "/environments/" + ENVIRONMENT, SPEC);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        users = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())))
                .connectTimeout(Duration.ofSeconds(2)).build();
        load = new Thread(this::sendUsersTraffic, "users");
        load.setDaemon(true);
        load.start();
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        loading = false;
        if (load != null) {
            load.join(5000);
        }
        for (AutoCloseable part : new AutoCloseable[] {kafka, suite, proxy, pods, client}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                System.out.println("[kubernetes-it] cannot close " + part + ": " + e);
            }
        }
        if (cluster != null) {
            cluster.destroy();
        }
    }

    @Test
    @Order(1)
    void shouldPromoteAGoodReleaseAndRetireBlueOnTheCluster() throws Exception {
        String firstId = ship("1.0.0");
        awaitPromoted(firstId);
        String blue = deploymentOf(firstId);
        goodId = ship("1.1.0");

        awaitPromoted(goodId);

        BakeCompleted baked = kafka.await(BakeCompleted.class, goodId, TIMEOUT);
        assertThat(baked.passedIntervals()).as("intervals passed on green's Prometheus series").isGreaterThan(0);
        assertThat(baked.total().errors()).isZero();
        assertThat(stableSelector()).as("the stable Service selects green's serving pods")
                .containsEntry("switchback.dev/release", goodId).containsEntry("switchback.dev/serving", "true");
        awaitServed("1.1.0");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(NAMESPACE)
                .withName(blue).get()).as("blue's Deployment is retired").isNull());
        assertThat(client.services().inNamespace(NAMESPACE).withName(blue).get()).as("blue's own Service").isNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pods.history())
                .as("blue was scaled to zero before it was deleted")
                .containsSubsequence(blue + ": replicas 0", blue + ": deleted"));
        assertThat(value("sum(http_server_requests_seconds_count{service=\"" + SERVICE + "\",release=\"" + goodId + "\"})"))
                .as("green's requests, as Prometheus scraped them from its pods").isGreaterThan(20);
    }

    @Test
    @Order(2)
    void shouldRollBackAReleaseWhoseErrorSeriesRiseAndKeepItsPodsIsolated() throws Exception {
        String id = ship("1.2.0-fail");

        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(release(id).path("phase").asText()).isEqualTo("ROLLED_BACK"));

        AnalysisFailed failed = kafka.await(AnalysisFailed.class, id, TIMEOUT);
        assertThat(failed.measurement().verdict()).isEqualTo("fail");
        assertThat(failed.measurement().reason()).contains("error rate");
        assertThat(kafka.await(RollbackCompleted.class, id, TIMEOUT).restoredVersion()).isEqualTo("1.1.0");
        List<String> steps = new ArrayList<>();
        release(id).path("steps").forEach(step -> steps.add(step.path("reason").asText()));
        assertThat(String.join("\n", steps)).as("the history says analysis rolled it back, and why: %s", steps)
                .contains("error rate");
        assertThat(stableSelector()).as("the stable Service is back on blue's pods")
                .containsEntry("switchback.dev/release", goodId);
        awaitServed("1.1.0");
        String green = deploymentOf(id);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greenPods(id)).as("green's pods, kept for analysis")
                .hasSize(2).allSatisfy(pod -> assertThat(pod.getMetadata().getLabels())
                        .containsEntry("switchback.dev/serving", "false")));
        Deployment kept = client.apps().deployments().inNamespace(NAMESPACE).withName(green).get();
        assertThat(kept.getSpec().getReplicas()).as("green is isolated, not scaled down").isEqualTo(2);
        assertThat(greenPods(id)).allSatisfy(pod -> assertThat(pods.process(pod.getMetadata().getName()))
                .hasValueSatisfying(process -> assertThat(process.process().isAlive()).isTrue()));
        assertThat(proxy.endpoints(NAMESPACE, green)).as("green's own Service selects none of its pods").isEmpty();

        // A pod lost later is made again from green's unchanged template, serving "true": it must stay out too.
        String lost = greenPods(id).get(0).getMetadata().getName();
        client.pods().inNamespace(NAMESPACE).withName(lost).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(greenPods(id)).hasSize(2)
                .filteredOn(pod -> "true".equals(pod.getMetadata().getLabels().get("switchback.dev/serving")))
                .singleElement().satisfies(made -> assertThat(pods.ready(made.getMetadata().getName()))
                        .as("the pod made again is ready").isTrue()));
        assertThat(proxy.endpoints(NAMESPACE, green)).as("green's own Service selects no pod made again").isEmpty();
        assertThat(proxy.endpoints(NAMESPACE, SERVICE)).as("the stable Service selects blue's pods only")
                .allMatch(pod -> pod.startsWith(deploymentOf(goodId)));
        assertThat(value("sum(http_server_requests_seconds_count{release=\"" + id + "\",status=\"500\"})"))
                .as("the failures analysis saw are in green's own series").isGreaterThanOrEqualTo(5);
    }

    /** Users call the stable Service about 25 times a second, whatever it selects; what answered is kept in order. */
    private void sendUsersTraffic() {
        while (loading) {
            try {
                HttpResponse<String> answer = users.send(HttpRequest.newBuilder(URI.create(STABLE))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                answers.add(answer.statusCode() + " " + answer.body().lines().findFirst().orElse(""));
                Thread.sleep(40);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                answers.add("io " + e.getMessage());
            }
        }
    }

    private void awaitServed(String version) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            int size = answers.size();
            assertThat(answers.subList(Math.max(0, size - 10), size)).as("what users got from the stable Service")
                    .hasSize(10).allMatch(answer -> answer.equals("200 " + version));
        });
    }

    private java.util.Map<String, String> stableSelector() {
        return client.services().inNamespace(NAMESPACE).withName(SERVICE).get().getSpec().getSelector();
    }

    private List<Pod> greenPods(String releaseId) {
        return client.pods().inNamespace(NAMESPACE).withLabel("switchback.dev/release", releaseId).list().getItems();
    }

    private String deploymentOf(String releaseId) {
        List<Deployment> found = client.apps().deployments().inNamespace(NAMESPACE)
                .withLabel("switchback.dev/release", releaseId).list().getItems();
        assertThat(found).as("the Deployment of release " + releaseId).hasSize(1);
        return found.get(0).getMetadata().getName();
    }

    private void awaitPromoted(String id) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(release(id).path("promotedAt").isNull())
                        .as("release %s promoted: %s", id, release(id)).isFalse());
    }

    private String ship(String version) throws IOException {
        HttpResponse<String> accepted = suite.send("POST", "/releases", "{\"service\":\"" + SERVICE
                + "\",\"environment\":\"" + ENVIRONMENT + "\",\"version\":\"" + version + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return EventCodec.mapper().readTree(accepted.body()).get("id").asText();
    }

    private JsonNode release(String id) throws IOException {
        HttpResponse<String> response = suite.send("GET", "/releases/" + id, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private double value(String promql) throws IOException {
        JsonNode result = EventCodec.mapper().readTree(suite.prometheus().query(promql)).path("data").path("result");
        return result.isEmpty() ? 0 : result.get(0).path("value").path(1).asDouble();
    }
}
