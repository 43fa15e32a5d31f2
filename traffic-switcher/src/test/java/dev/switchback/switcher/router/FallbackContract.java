package dev.switchback.switcher.router;

import dev.switchback.infra.Ports;
import dev.switchback.infra.test.HttpBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Blue as green's fallback during the bake, pinned once for every router that can retry (embedded, nginx): a request
 * green fails (5xx, or no answer at all) that is safe to send twice gets blue's answer, and green's attempt still
 * counts as green's failure, so analysis judges green on what it did; a request not safe to send twice, an answer
 * below 500, or a route with no fallback passes green's answer on as it was.
 */
abstract class FallbackContract extends RouterFixture {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void ensureRoute() {
        router.ensureRoute(ROUTE, TestRouters.at(port));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void shouldAnswerARequestGreenFailsFromBlueAndCountTheFailureForGreen(int failure) throws Exception {
        green.status.set(failure);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = send("GET", "/version", null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("1.0.0");
        }

        assertThat(green.received()).isEqualTo(5);
        assertThat(blue.received()).isEqualTo(5);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, EndpointStats> stats = ((RouterCounters) router).stats(ROUTE);
            assertThat(stats.get(green.endpoint()).requests()).isEqualTo(5);
            assertThat(stats.get(green.endpoint()).errors()).isEqualTo(5);
            assertThat(stats.get(blue.endpoint()).requests()).isEqualTo(5);
            assertThat(stats.get(blue.endpoint()).errors()).isZero();
        });
    }

    @Test
    void shouldAnswerFromBlueARequestGreenKeepsWaitingLongerThanTheReadTimeout() throws Exception {
        green.delayMillis.set((int) TestRouters.READ_TIMEOUT.multipliedBy(3).toMillis());
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());
        long start = System.nanoTime();

        HttpResponse<String> answer = send("GET", "/version", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("1.0.0");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TestRouters.READ_TIMEOUT.multipliedBy(2));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, EndpointStats> stats = ((RouterCounters) router).stats(ROUTE);
            assertThat(stats.get(green.endpoint()).errors()).isEqualTo(1);
            assertThat(stats.get(blue.endpoint()).errors()).isZero();
        });
    }

    @Test
    void shouldAnswer504WhenTheEndpointKeepsWaitingLongerThanTheReadTimeoutAndThereIsNoFallback() throws Exception {
        green.delayMillis.set((int) TestRouters.READ_TIMEOUT.multipliedBy(3).toMillis());
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100));

        HttpResponse<String> answer = send("GET", "/version", null);

        assertThat(answer.statusCode()).isEqualTo(504);
        assertThat(blue.received()).isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(((RouterCounters) router).stats(ROUTE)
                .get(green.endpoint()).errors()).isEqualTo(1));
    }

    /** Only an http://host:port base URL: another scheme, a path, query, fragment, user, odd host, or no URL at all. */
    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:8443", "ftp://127.0.0.1:21", "http://127.0.0.1:1/app", "http://127.0.0.1:1?x=1",
            "http://127.0.0.1:1#top", "http://user@127.0.0.1:1", "http://a;b:1", "http://:80", "http:opaque", "no url at all",
            "127.0.0.1:8080", ""})
    void shouldRefuseAFallbackThatIsNotAnHttpBaseUrlAndKeepServingWhatItServed(String fallback) throws Exception {
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100));

        assertThatThrownBy(() -> router.setWeights(ROUTE, Map.of(green.endpoint(), 100), fallback))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint '" + fallback + "'");

        assertThat(router.weights(ROUTE)).isEqualTo(Map.of(green.endpoint(), 100));
        assertThat(send("GET", "/version", null).body()).isEqualTo("2.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEAD", "OPTIONS", "DELETE", "PUT"})
    void shouldSendEveryIdempotentMethodWithoutABodyToBlueOnceGreenFailsIt(String method) throws Exception {
        green.status.set(500);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());

        HttpResponse<String> answer = send(method, "/version", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(green.received()).isEqualTo(1);
        assertThat(blue.received()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PATCH"})
    void shouldNeverSendANonIdempotentRequestTwice(String method) throws Exception {
        green.status.set(500);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());

        HttpResponse<String> answer = send(method, "/version", "a note");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("2.0.0");
        assertThat(green.received()).isEqualTo(1);
        assertThat(blue.received()).isZero();
    }

    @Test
    void shouldAnswerFromBlueWhenGreenCannotBeReached() throws Exception {
        String gone = green.endpoint();
        green.close();
        router.setWeights(ROUTE, Map.of(gone, 100), blue.endpoint());

        HttpResponse<String> answer = send("GET", "/version", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("1.0.0");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(((RouterCounters) router).stats(ROUTE).get(gone).errors()).isEqualTo(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 404, 409, 429})
    void shouldPassOnGreensAnswerBelow500WithoutAskingBlue(int status) throws Exception {
        green.status.set(status);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());

        HttpResponse<String> answer = send("GET", "/version", null);

        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo("2.0.0");
        assertThat(blue.received()).isZero();
    }

    @Test
    void shouldPassGreensFailureOnOnceTheFallbackIsCleared() throws Exception {
        green.status.set(500);
        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), blue.endpoint());
        assertThat(send("GET", "/version", null).statusCode()).isEqualTo(200);

        router.setWeights(ROUTE, Map.of(green.endpoint(), 100), null);

        HttpResponse<String> answer = send("GET", "/version", null);
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("2.0.0");
        assertThat(blue.received()).isEqualTo(1);
    }

    @Test
    void shouldAnswerFailedRequestsOfACanaryStepFromBlue() throws Exception {
        green.status.set(500);
        router.setWeights(ROUTE, Map.of(blue.endpoint(), 50, green.endpoint(), 50), blue.endpoint());

        for (int i = 0; i < 20; i++) {
            assertThat(send("GET", "/version", null).statusCode()).isEqualTo(200);
        }

        assertThat(green.received()).isPositive();
        assertThat(blue.received()).isEqualTo(20);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).method(method, publisher).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
