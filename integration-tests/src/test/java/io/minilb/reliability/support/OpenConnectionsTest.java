package io.minilb.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenConnectionsTest {

    @Test
    void countsEstablishedLoopbackConnectionsToAPortOnceEachOverIpv4AndIpv6() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("::"))) {
            int port = server.getLocalPort();
            assertThat(OpenConnections.to(port)).isZero();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (String host : List.of("127.0.0.1", "127.0.0.1", "::1")) {
                    sockets.add(new Socket(host, port));
                    sockets.add(server.accept());
                }
                assertThat(OpenConnections.to(port)).isEqualTo(3);

                sockets.get(0).close(); // a client's end
                await().atMost(Duration.ofSeconds(10)).until(() -> OpenConnections.to(port) == 2);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> OpenConnections.to(port) == 0);
        }
    }
}
