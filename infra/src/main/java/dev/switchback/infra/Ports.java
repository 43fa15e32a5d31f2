package dev.switchback.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Finding free ports and waiting for a process to listen on one. */
public final class Ports {

    private Ports() {
    }

    /** FIRST: the lowest port handed out; below it are well-known and registered services' ports. */
    static final int FIRST = 20000;
    /** EPHEMERAL_RANGE: Linux's list of the ports the kernel picks for outgoing connections and port 0. */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Where the next search starts: a random point, so two JVMs handing out ports rarely walk the same ones. */
    private static final AtomicInteger next = new AtomicInteger();

    static {
        int span = Math.max(1, ephemeralStart() - FIRST);
        next.set(ThreadLocalRandom.current().nextInt(span));
    }

    /**
     * A port free on 127.0.0.1 now, below the ephemeral range. A port found free inside that range may be handed by
     * the kernel to an outgoing connection (a Kafka client's, a health check's) or to an instance started on port 0
     * before the process meant for it listens: a suite's deployer once exited with "Address already in use" that way.
     * Each call hands out another port, so ports found in a row differ; another process may still take one, so start
     * what uses it soon. Where the ephemeral range leaves no room below it, the kernel's choice is taken.
     */
    public static int free() {
        int span = ephemeralStart() - FIRST;
        if (span <= 0) {
            return kernelChoice();
        }
        for (int tries = 0; tries < span; tries++) {
            int port = FIRST + Math.floorMod(next.getAndIncrement(), span);
            if (bindable(port)) {
                return port;
            }
        }
        return kernelChoice();
    }

    /** The first port of the ephemeral range; 32768, Linux's default, where the range cannot be read. */
    static int ephemeralStart() {
        try {
            // Read by lines: procfs reports a size of 0, and Files.readString cuts such a file short.
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChoice() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until something listens on the port; fails early if the process that should listen died. */
    public static void awaitListening(String what, Process process, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isListening(port)) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + " before listening on " + port);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not listen on " + port + " within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
