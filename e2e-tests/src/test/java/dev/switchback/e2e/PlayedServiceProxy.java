package dev.switchback.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays cluster DNS and kube-proxy for processes outside the cluster: an HTTP proxy that sends a request for
 * {@code http://<service>.<namespace>.svc:<port>/…} to one of the ready pods the Service's selector picks at that
 * moment, read from the API server on every request, so a switch of the stable Service's selector (or an isolation
 * relabelling pods) moves the next request. A Service that selects no ready pod answers 503, as a connection to a
 * Service without endpoints fails. The services point at it with {@code -Dhttp.proxyHost}; loopback stays direct.
 */
final class PlayedServiceProxy implements AutoCloseable {

    private final KubernetesClient client;
    private final PlayedPods pods;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient upstream = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong next = new AtomicLong();

    private PlayedServiceProxy(KubernetesClient client, PlayedPods pods, HttpServer server, ExecutorService threads) {
        this.client = client;
        this.pods = pods;
        this.server = server;
        this.threads = threads;
    }

    /** Starts the proxy on a free loopback port. */
    static PlayedServiceProxy start(KubernetesClient client, PlayedPods pods) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        PlayedServiceProxy proxy = new PlayedServiceProxy(client, pods, server, threads);
        server.createContext("/", proxy::forward);
        server.setExecutor(threads);
        server.start();
        return proxy;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The ready pods a Service selects now; none for a Service that is missing or selects nothing. */
    List<String> endpoints(String namespace, String service) {
        Service found = client.services().inNamespace(namespace).withName(service).get();
        Map<String, String> selector = found == null ? null : found.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
                .map(Pod::getMetadata).map(m -> m.getName()).filter(pods::ready).sorted().toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI target = exchange.getRequestURI();
            String host = target.getHost();
            String[] labels = host == null ? new String[0] : host.split("\\.");
            if (labels.length != 3 || !labels[2].equals("svc")) {
                answer(exchange, 502, "not a cluster address: " + target);
                return;
            }
            List<String> endpoints = endpoints(labels[1], labels[0]);
            if (endpoints.isEmpty()) {
                answer(exchange, 503, "Service " + labels[1] + "/" + labels[0] + " has no ready endpoints");
                return;
            }
            String pod = endpoints.get((int) (next.getAndIncrement() % endpoints.size()));
            var process = pods.process(pod);
            if (process.isEmpty()) {
                answer(exchange, 503, "pod " + pod + " has no process");
                return;
            }
            URI to = URI.create(process.get().endpoint() + target.getRawPath()
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(5))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                request.header("Content-Type", type);
            }
            HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().add("X-Played-Pod", pod);
            response.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            answer(exchange, 502, "upstream failed: " + e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String message) {
        try {
            send(exchange, status, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
