package io.minilb.reliability.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Clients that hold a server's resources by being slow, as an attacker would: connections that send a request
 * and then never read the answer (with a small receive buffer, so the server's writes stall soon), or that send
 * their request a byte at a time (slowloris). It notes when the server closes each connection (a FIN or a reset),
 * found in the kernel's TCP table, so that watching does not read, and so does not drain, what the server sent.
 * Bounded: at most {@link #MAX_CONNECTIONS} connections, dripping stops after {@code maxDuration}, and
 * {@link #close()} closes everything.
 */
public final class SlowClients implements AutoCloseable {
    public static final int MAX_CONNECTIONS = 5_000;
    /** Small enough that a few frames fill it, so the server's socket buffer fills and its writes stall. */
    public static final int RECEIVE_BUFFER = 4 * 1024;
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);
    private static final int RECEIVED_PREFIX = 1024;

    private final List<Connection> connections = new ArrayList<>();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "slow-clients");
        thread.setDaemon(true);
        return thread;
    });
    private final long startNanos = System.nanoTime();

    private SlowClients() {
    }

    /** {@code count} connections that each send {@code request} at once and then never read. */
    public static SlowClients nonReading(URI server, int count, byte[] request) {
        return open(server, count, request, request.length, Duration.ZERO, Duration.ZERO);
    }

    /**
     * {@code count} connections that each send the first {@code sendAtOnce} bytes of {@code request}, then one more
     * byte every {@code pause}, until the request is sent, the server closes the connection or {@code maxDuration}
     * has passed. E.g. {@code sendAtOnce = 10} for a slow head, the head's length for a slow body.
     */
    public static SlowClients slowloris(URI server, int count, byte[] request, int sendAtOnce, Duration pause, Duration maxDuration) {
        return open(server, count, request, sendAtOnce, pause, maxDuration);
    }

    /** A JSON {@code POST} as raw HTTP/1.1 bytes, e.g. for {@link #nonReading}. */
    public static byte[] jsonPost(URI server, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private static SlowClients open(URI server, int count, byte[] request, int sendAtOnce, Duration pause, Duration maxDuration) {
        if (count < 1 || count > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("between 1 and " + MAX_CONNECTIONS + " connections, not " + count);
        }
        SlowClients clients = new SlowClients();
        try {
            for (int i = 0; i < count; i++) {
                clients.connections.add(new Connection(server, request, Math.min(sendAtOnce, request.length)));
            }
        } catch (IOException e) {
            clients.close();
            throw new UncheckedIOException("cannot open connection " + (clients.connections.size() + 1) + " to " + server, e);
        }
        clients.timers.scheduleWithFixedDelay(clients::watch, 0, WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        if (sendAtOnce < request.length) {
            long deadline = System.nanoTime() + maxDuration.toNanos();
            clients.timers.scheduleWithFixedDelay(() -> clients.drip(deadline), pause.toMillis(), pause.toMillis(), TimeUnit.MILLISECONDS);
        }
        return clients;
    }

    public int count() {
        return connections.size();
    }

    /** How many connections the server has closed so far. */
    public synchronized int closedByServer() {
        return (int) connections.stream().filter(connection -> connection.closedAfter != null).count();
    }

    /** When the server closed connection {@code i}, counted from when the connections were opened. */
    public synchronized Optional<Duration> closedAfter(int i) {
        return Optional.ofNullable(connections.get(i).closedAfter);
    }

    /** The first bytes the server sent on connection {@code i}, read once it closed it (e.g. a 408 answer). */
    public synchronized String received(int i) {
        return connections.get(i).received;
    }

    /**
     * Waits until the server has closed every connection and returns when the last was closed (counted from when
     * they were opened); fails if some are still open after {@code timeout}.
     */
    public Duration awaitAllClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (closedByServer() < count()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(closedByServer() + " of " + count() + " connections closed by the server within " + timeout);
            }
            try {
                Thread.sleep(WATCH_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        synchronized (this) {
            return connections.stream().map(connection -> connection.closedAfter).max(Duration::compareTo).orElseThrow();
        }
    }

    /** Notes connections whose socket is no longer ESTABLISHED: the server sent a FIN (CLOSE_WAIT) or a reset. */
    private synchronized void watch() {
        Set<Integer> established = OpenConnections.sockets().stream()
                .filter(socket -> socket.state() == OpenConnections.ESTABLISHED)
                .map(OpenConnections.Socket::localPort)
                .collect(Collectors.toSet());
        for (Connection connection : connections) {
            if (connection.closedAfter == null && !established.contains(connection.socket.getLocalPort())) {
                connection.closedByServer(elapsed());
            }
        }
    }

    private synchronized void drip(long deadline) {
        boolean overdue = System.nanoTime() > deadline;
        for (Connection connection : connections) {
            if (connection.closedAfter == null && !overdue && !connection.sendNextByte()) {
                connection.closedByServer(elapsed());
            }
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public synchronized void close() {
        timers.shutdownNow();
        for (Connection connection : connections) {
            try {
                connection.socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** One slow client's connection. Guarded by the enclosing instance. */
    private static final class Connection {
        private final Socket socket = new Socket();
        private final byte[] request;
        private int sent;
        private Duration closedAfter;
        private String received = "";

        Connection(URI server, byte[] request, int sendAtOnce) throws IOException {
            this.request = request;
            socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting, so that the window is small from the start
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 10_000);
            socket.getOutputStream().write(request, 0, sendAtOnce);
            socket.getOutputStream().flush();
            sent = sendAtOnce;
        }

        /** False if the server no longer takes bytes (it closed or reset the connection). */
        boolean sendNextByte() {
            if (sent == request.length) {
                return true;
            }
            try {
                socket.getOutputStream().write(request[sent]);
                socket.getOutputStream().flush();
                sent++;
                return true;
            } catch (IOException closed) {
                return false;
            }
        }

        /** Reading is harmless now that the server is gone; what it sent last tells why (e.g. a 408). */
        void closedByServer(Duration after) {
            closedAfter = after;
            byte[] prefix = new byte[RECEIVED_PREFIX];
            int length = 0;
            try {
                socket.setSoTimeout(100);
                InputStream in = socket.getInputStream();
                for (int n = 0; n >= 0 && length < prefix.length; n = in.read(prefix, length, prefix.length - length)) {
                    length += n;
                }
            } catch (IOException resetOrNothingMore) {
                // a reset discards what was not read; a half-closed connection may just have sent nothing more
            }
            received = new String(prefix, 0, length, StandardCharsets.ISO_8859_1);
        }
    }
}
