package dev.switchback.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {

    @Test
    void shouldHandOutPortsBelowTheEphemeralRangeWhereOutgoingConnectionsCannotTakeThem() throws IOException {
        int ephemeral = Ports.ephemeralStart();

        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertThat(port).isBetween(Ports.FIRST, ephemeral - 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void shouldHandOutAnotherPortOnEachCallSoPortsFoundInARowDiffer() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ports.add(Ports.free());
        }

        assertThat(ports).hasSize(200);
    }

    @Test
    void shouldSkipAPortSomethingListensOn() throws IOException {
        // Hold every port of the next stretch the search will walk, then ask again.
        int first = Ports.free();
        Set<ServerSocket> held = new HashSet<>();
        try {
            for (int port = first + 1; port < first + 20 && port < Ports.ephemeralStart(); port++) {
                try {
                    held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                } catch (IOException taken) {
                    // already taken by another process: skipped all the same
                }
            }
            Set<Integer> busy = new HashSet<>();
            held.forEach(socket -> busy.add(socket.getLocalPort()));

            for (int i = 0; i < 10; i++) {
                assertThat(busy).doesNotContain(Ports.free());
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
