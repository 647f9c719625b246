package io.minilb.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * TCP connections on loopback as the kernel lists them ({@code /proc/net/tcp} and {@code /proc/net/tcp6}), for
 * tests that check that connections to a server are released, whichever process holds them. Linux only.
 */
public final class OpenConnections {
    static final int ESTABLISHED = 0x01;
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private OpenConnections() {
    }

    /**
     * ESTABLISHED connections on loopback to {@code port}, counted once each: from their client's end, the
     * socket whose remote end is {@code port} (on loopback the server's end is listed too).
     */
    public static long to(int port) {
        return sockets().stream().filter(socket -> socket.state() == ESTABLISHED && socket.remotePort() == port
                && socket.remote().isLoopbackAddress()).count();
    }

    /** One TCP socket of the kernel's tables. */
    record Socket(InetAddress local, int localPort, InetAddress remote, int remotePort, int state) {
    }

    static List<Socket> sockets() {
        List<Socket> sockets = new ArrayList<>();
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (NoSuchFileException noIpv6) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // "sl local_address rem_address st ...": addresses as HEX_IP:HEX_PORT, the state in hex
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                String[] remote = fields[2].split(":");
                sockets.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16),
                        address(remote[0]), Integer.parseInt(remote[1], 16), Integer.parseInt(fields[3], 16)));
            }
        }
        return sockets;
    }

    /** The kernel prints an address as 32-bit words, each in the host's byte order. */
    private static InetAddress address(String hex) {
        byte[] words = HexFormat.of().parseHex(hex);
        byte[] bytes = words.clone();
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int word = 0; word < words.length; word += 4) {
                for (int i = 0; i < 4; i++) {
                    bytes[word + i] = words[word + 3 - i];
                }
            }
        }
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address comes back as IPv4
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + hex, e);
        }
    }
}
