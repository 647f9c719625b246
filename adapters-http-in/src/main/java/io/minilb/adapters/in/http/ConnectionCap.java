package io.minilb.adapters.in.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Accepts client connections up to a cap and hands them to the HTTP protocol; beyond the cap a connection is closed
 * as soon as it is accepted, so the client learns at once (its connection is closed before any response) and can
 * retry, and nothing of it is kept. Closing is preferred to answering 503: a response written before the request is
 * read is often destroyed by the reset that closing over an unread request causes, and waiting to read the request
 * would hold a buffer and a timer per refused connection exactly when there are too many. XNIO's
 * {@code CONNECTION_HIGH_WATER} is not used: it stops accepting, which leaves new connections waiting unanswered in
 * the kernel's backlog.
 *
 * <p>The cap also keeps accepting alive when descriptors run short. On a failed accept ("Too many open files") XNIO
 * stops accepting for a back-off that grows from 250 ms to 30 s and ends only when it expires, whatever was freed
 * meanwhile; it cannot be configured. So the cap is lowered at start to what the process's descriptor limit allows
 * for each client connection and the two backend connections it may hold: client connections then cannot exhaust
 * the descriptors, and the accept never fails because of them.
 */
final class ConnectionCap implements ChannelListener<AcceptingChannel<StreamConnection>> {

    /** A client connection, the prefill connection and the decode connection of its generation. */
    static final int DESCRIPTORS_PER_CONNECTION = 3;

    /**
     * Descriptors kept free beyond those open at start: connections being refused (each is accepted first), idle
     * pooled backend connections, admin calls, log files.
     */
    static final long SPARE_DESCRIPTORS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final ChannelListener<? super StreamConnection> openListener;
    private final int limit;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean refusing = new AtomicBoolean();
    private final Runnable onRefused;

    /** @param onRefused runs for each connection closed because the cap is reached */
    ConnectionCap(ChannelListener<? super StreamConnection> openListener, int limit, Runnable onRefused) {
        this.openListener = openListener;
        this.limit = limit;
        this.onRefused = onRefused;
    }

    /** The client connections open now. */
    int open() {
        return open.get();
    }

    /** The configured cap, lowered to what this process's descriptor limit allows. */
    static int forThisProcess(int configured) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return configured;
        }
        int cap = withinDescriptors(configured, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
        if (cap < configured) {
            LOG.warn("at most {} client connections instead of {}: the process may open {} descriptors, {} are open "
                            + "and each client connection may use {}; raise the limit (ulimit -n) to allow more",
                    cap, configured, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount(),
                    DESCRIPTORS_PER_CONNECTION);
        }
        return cap;
    }

    static int withinDescriptors(int configured, long maxDescriptors, long openDescriptors) {
        long affordable = (maxDescriptors - openDescriptors - SPARE_DESCRIPTORS) / DESCRIPTORS_PER_CONNECTION;
        return (int) Math.max(1, Math.min(configured, affordable));
    }

    @Override
    public void handleEvent(AcceptingChannel<StreamConnection> server) {
        StreamConnection connection;
        try {
            connection = server.accept();
        } catch (IOException e) {
            LOG.debug("accepting a connection failed", e);
            return;
        }
        if (connection == null) {
            return;
        }
        if (!tryOpen()) {
            IoUtils.safeClose(connection);
            onRefused.run();
            if (refusing.compareAndSet(false, true)) {
                LOG.warn("{} client connections are open, the limit: new connections are closed until some end", limit);
            }
            return;
        }
        refusing.set(false);
        serve(connection);
    }

    private boolean tryOpen() {
        while (true) {
            int current = open.get();
            if (current >= limit) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Hands the connection to the protocol and frees its place when it closes. The protocol installs its own close
     * listener, so ours is chained to it afterwards; the first one covers a close during the hand-over.
     */
    private void serve(StreamConnection connection) {
        AtomicBoolean freed = new AtomicBoolean();
        Runnable free = () -> {
            if (freed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        connection.setCloseListener(closed -> free.run());
        ChannelListeners.invokeChannelListener(connection, openListener);
        ChannelListener<? super StreamConnection> protocols = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            free.run();
            ChannelListeners.invokeChannelListener(closed, protocols);
        });
        if (!connection.isOpen()) {
            free.run(); // closed before our listener was back in place
        }
    }
}
