package dev.switchback.switcher.router;

import dev.switchback.switcher.config.SwitcherConfig;
import dev.switchback.events.RouterSpec;
import dev.switchback.switcher.router.embedded.EmbeddedRouter;
import dev.switchback.switcher.router.fake.FakeRouter;
import dev.switchback.switcher.router.nginx.NginxConfig;
import dev.switchback.switcher.router.nginx.NginxRouter;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** Routers built by hand, outside Quarkus, with the settings a test needs. */
public final class TestRouters {

    private TestRouters() {
    }

    /** A router and what stops it. */
    public record Driver(String name, Router router, Runnable stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static Driver driver(String name, Path workDir) {
        return switch (name) {
            case "embedded" -> {
                Vertx vertx = Vertx.vertx();
                yield new Driver(name, new EmbeddedRouter(vertx, switcher()), () -> close(vertx));
            }
            case "nginx" -> {
                NginxRouter router = new NginxRouter(switcher(), nginx(workDir, Duration.ofSeconds(5)));
                yield new Driver(name, router, router::close);
            }
            case "fake" -> new Driver(name, new FakeRouter(), () -> {
            });
            default -> throw new IllegalArgumentException("no router driver named " + name);
        };
    }

    /** The settings of a route on a port, with no driver settings: all the embedded and nginx routers read. */
    public static RouterSpec at(int port) {
        return new RouterSpec("test", port);
    }

    /** Closes a Vert.x instance, waiting for its servers to stop. */
    public static void close(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("vert.x did not close", e);
        }
    }

    /** READ_TIMEOUT: how long the test routers wait between two reads of an endpoint's answer (60 s in service). */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    public static SwitcherConfig switcher() {
        return switcher(Duration.ofSeconds(5));
    }

    /** The switcher's settings with the given verification deadline. */
    public static SwitcherConfig switcher(Duration verifyDeadline) {
        return new SwitcherConfig() {
            @Override
            public String bindHost() {
                return "127.0.0.1";
            }

            @Override
            public Duration healthTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration analysisTick() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration analysisRetention() {
                return Duration.ofDays(14);
            }

            @Override
            public Duration verifyDeadline() {
                return verifyDeadline;
            }

            @Override
            public Duration readTimeout() {
                return READ_TIMEOUT;
            }

            @Override
            public Duration verifyInterval() {
                return Duration.ofMillis(10);
            }

            @Override
            public Prometheus prometheus() {
                return new Prometheus() {
                    @Override
                    public java.util.Optional<java.net.URI> url() {
                        return java.util.Optional.empty();
                    }

                    @Override
                    public Duration minQueryInterval() {
                        return Duration.ofMillis(500);
                    }

                    @Override
                    public Duration timeout() {
                        return Duration.ofSeconds(2);
                    }
                };
            }
        };
    }

    public static NginxConfig nginx(Path workDir, Duration reloadTimeout) {
        return nginx("nginx", workDir, reloadTimeout);
    }

    public static NginxConfig nginx(String binary, Path workDir, Duration reloadTimeout) {
        return new NginxConfig() {
            @Override
            public String binary() {
                return binary;
            }

            @Override
            public String workDir() {
                return workDir.toString();
            }

            @Override
            public OptionalInt workers() {
                return OptionalInt.empty();
            }

            @Override
            public Duration reloadTimeout() {
                return reloadTimeout;
            }

            @Override
            public Duration stopTimeout() {
                return Duration.ofSeconds(10);
            }
        };
    }
}
