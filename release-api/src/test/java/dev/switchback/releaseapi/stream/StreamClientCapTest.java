package dev.switchback.releaseapi.stream;

import dev.switchback.infra.InfraTestResource;
import dev.switchback.infra.test.Callers;
import dev.switchback.releaseapi.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica streams to at most {@code switchback.stream.max-clients} clients: one more is refused with a 503
 * problem and {@code Retry-After}, and a place comes free again when a client goes away, refused calls included.
 */
@QuarkusTest
@TestProfile(StreamClientCapTest.TwoClients.class)
class StreamClientCapTest {

    private static final int MAX_CLIENTS = 2;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A replica with two places, on a database of its own. */
    public static class TwoClients implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchback.stream.max-clients", Integer.toString(MAX_CLIENTS));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfraTestResource.class, Map.of("database", "release_api_stream_cap")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void shouldRefuseAClientBeyondTheCapAndAdmitOneWhenAPlaceIsFree() throws Exception {
        List<SseClient> connected = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CLIENTS; i++) {
                SseClient client = connect();
                assertThat(client.status()).isEqualTo(200);
                assertThat(client.next(WAIT).comment()).isEqualTo("connected");
                connected.add(client);
            }
            try (SseClient refused = connect()) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.header("Retry-After")).isEqualTo("5");
                assertThat(refused.body()).contains("max-clients").contains("2 clients");
            }
            // A refusal after admission (an unknown release) holds no place either.
            try (SseClient unknown = connect("?release=00000000-0000-0000-0000-000000000000")) {
                assertThat(unknown.status()).isEqualTo(503);
            }

            connected.remove(0).close();
            await().atMost(WAIT).until(() -> {
                try (SseClient again = connect("?release=00000000-0000-0000-0000-000000000000")) {
                    return again.status() == 404;
                }
            });
            SseClient admitted = connect();
            assertThat(admitted.status()).as("the 404 above gave its place back").isEqualTo(200);
            connected.add(admitted);
            try (SseClient refused = connect()) {
                assertThat(refused.status()).isEqualTo(503);
            }
        } finally {
            connected.forEach(SseClient::close);
        }
    }

    private static SseClient connect() throws Exception {
        return connect("");
    }

    private static SseClient connect(String query) throws Exception {
        return SseClient.connect("http://127.0.0.1:" + RestAssured.port + "/releases/stream" + query,
                Callers.bearer("dashboard", "viewer"), null);
    }
}
