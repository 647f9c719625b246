package io.minilb.simulator.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes an answer's bytes to its response channel as fast as the client takes them, without blocking: what the
 * socket does not take waits in a queue, and the channel's write-ready callback resumes. Whoever produces the bytes
 * asks {@link #isBackedUp()} and waits with {@link #whenDrained} while the client lags, as SGLang's server stops
 * producing for a client that does not read, so memory per slow client stays bounded. IO thread only.
 */
final class ChannelWriter {
    /** Unwritten bytes beyond which a producer should wait; the socket's own buffers come on top. */
    static final int BACKLOG_LIMIT = 64 * 1024;

    /** What to do when everything queued is written, or when writing fails. */
    interface Events {
        void flushed();

        void failed(IOException e);
    }

    private final StreamSinkChannel channel;
    private final Events events;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final List<Runnable> drainWaiters = new ArrayList<>();
    private volatile long unwritten; // read by the state report from other threads
    private boolean ending;
    private boolean shutDown;

    ChannelWriter(StreamSinkChannel channel, Events events) {
        this.channel = channel;
        this.events = events;
        channel.getWriteSetter().set(ignored -> pump());
    }

    void write(ByteBuffer bytes) {
        queue.add(bytes);
        unwritten += bytes.remaining();
        pump();
    }

    void write(Iterable<ByteBuffer> chunks) {
        for (ByteBuffer chunk : chunks) {
            queue.add(chunk);
            unwritten += chunk.remaining();
        }
        pump();
    }

    /** Ends the answer once everything queued is written. */
    void end() {
        ending = true;
        pump();
    }

    boolean isBackedUp() {
        return unwritten > BACKLOG_LIMIT;
    }

    long unwrittenBytes() {
        return unwritten;
    }

    /** Runs {@code resume} once the backlog is back within {@link #BACKLOG_LIMIT}. */
    void whenDrained(Runnable resume) {
        drainWaiters.add(resume);
    }

    /** Forgets the waiters, e.g. once the client is gone: nothing is to be produced for it any more. */
    void cancelWaiters() {
        drainWaiters.clear();
    }

    /** Sends the headers now, before any body byte is produced. */
    void start() {
        pump();
    }

    private void pump() {
        try {
            if (writeQueue()) {
                events.flushed();
            }
        } catch (IOException e) {
            drainWaiters.clear();
            events.failed(e);
            return;
        }
        wakeWaiters();
    }

    /** Writes what the socket takes; true once everything is written and flushed. */
    private boolean writeQueue() throws IOException {
        while (!queue.isEmpty()) {
            ByteBuffer head = queue.peek();
            unwritten -= channel.write(head);
            if (head.hasRemaining()) {
                channel.resumeWrites();
                return false;
            }
            queue.poll();
        }
        if (ending && !shutDown) {
            shutDown = true;
            channel.shutdownWrites();
        }
        if (!channel.flush()) {
            channel.resumeWrites();
            return false;
        }
        channel.suspendWrites();
        return true;
    }

    private void wakeWaiters() {
        if (drainWaiters.isEmpty() || isBackedUp()) {
            return;
        }
        List<Runnable> waiting = List.copyOf(drainWaiters);
        drainWaiters.clear();
        waiting.forEach(Runnable::run); // they may write again, and so re-enter pump: nothing follows here
    }
}
