package dev.switchback.sample;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Entry point of the sample app: reads its settings from the environment and serves HTTP until stopped. */
public final class SampleApp {

    /** STOP_GRACE_SECONDS is how long in-flight requests may finish after a stop. */
    static final int STOP_GRACE_SECONDS = 1;

    // Enough threads that a -slow release, which parks each request for a second, still serves
    // a benchmark's concurrent clients; idle threads time out so a quiet app stays small.
    private static final int WORKER_THREADS = 64;
    private static final int BACKLOG = 128;

    private final SampleConfig config;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SampleApp(SampleConfig config, HttpServer server, ExecutorService workers) {
        this.config = config;
        this.server = server;
        this.workers = workers;
    }

    /** Starts the app from the process environment; SIGTERM stops it gracefully. */
    public static void main(String[] args) {
        // The JDK server leaves Nagle's algorithm on: with keep-alive, every answer behind a proxy then waits ~40 ms
        // for a delayed ACK. Must be set before the server class is loaded.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        SampleApp app;
        try {
            app = start(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sample-app: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("sample-app: cannot listen: " + e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            System.out.println("sample-app " + app.version() + " stopped");
        }, "sample-app-stop"));
        System.out.println("sample-app " + app.version() + " listening on " + app.bindAddress() + ":" + app.port());
    }

    /**
     * Starts serving with the settings in the given environment and returns once the port is bound.
     *
     * @throws IllegalArgumentException when a setting is missing or malformed
     * @throws IOException              when the address cannot be bound
     */
    public static SampleApp start(Map<String, String> env) throws IOException {
        SampleConfig config = SampleConfig.fromEnv(env);
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("BIND_ADDRESS '" + config.bindAddress() + "' does not resolve");
        }
        NoteStore notes = config.dbUrl() == null
                ? null
                : new NoteStore(config.dbUrl(), config.dbUser(), config.dbPassword());
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), workerThreads());
        workers.allowCoreThreadTimeOut(true);
        HttpServer server;
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            workers.shutdown();
            throw e;
        }
        server.setExecutor(workers);
        server.createContext("/", new Router(config.version(), notes));
        server.start();
        return new SampleApp(config, server, workers);
    }

    /** Stops accepting requests, lets in-flight ones finish for up to a second, then returns. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.stop(STOP_GRACE_SECONDS);
        workers.shutdown();
        try {
            workers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the port actually bound, which differs from PORT when PORT is 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Returns the address the app listens on, as given in BIND_ADDRESS. */
    public String bindAddress() {
        return config.bindAddress();
    }

    /** Returns SERVICE_VERSION. */
    public String version() {
        return config.version();
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "sample-app-http-" + count.incrementAndGet());
            // The server's dispatcher thread keeps the JVM up; workers must never hold it back.
            thread.setDaemon(true);
            return thread;
        };
    }
}
