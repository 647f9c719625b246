package io.minilb.adapters.in.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import io.minilb.application.generation.GenerationCall;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSinkChannel;

/**
 * An event-stream response body fed from any thread. Frames are queued and written on the exchange's IO thread,
 * one write at a time, and flushed as soon as the queue is empty, so each frame reaches the client when it arrives.
 * When the client reads slowly the channel's write listener resumes the writing once it can take more (the pattern
 * of Undertow's {@code ServerSentEventConnection}).
 *
 * <p>The queue is bounded by back-pressure on the generation: past {@code bufferBytes} not yet written to the client
 * the call is paused (the decode then waits on TCP), and resumed once the client has taken half of them. Frames that
 * arrive while the decode stops are still queued. Pausing and resuming are decided on the IO thread only, so they
 * cannot be reordered.
 */
final class EventStreamWriter implements ChannelListener<StreamSinkChannel> {

    private static final ByteBuffer END_OF_STREAM = ByteBuffer.allocate(0);

    private final HttpServerExchange exchange;
    private final int bufferBytes;
    private final Runnable onWriteFailure;
    private final Queue<ByteBuffer> queued = new ConcurrentLinkedQueue<>();
    private final AtomicLong unwrittenBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // IO thread only
    private StreamSinkChannel channel;
    private ByteBuffer writing;
    private GenerationCall call;
    private boolean paused;

    EventStreamWriter(HttpServerExchange exchange, int bufferBytes, Runnable onWriteFailure) {
        this.exchange = exchange;
        this.bufferBytes = bufferBytes;
        this.onWriteFailure = onWriteFailure;
    }

    /**
     * The call to pause and resume; known only once routing returned, after frames may have arrived. Runs on the
     * IO thread.
     */
    void regulate(GenerationCall generation) {
        call = generation;
        applyBackPressure();
    }

    /** Sends the status and headers now, before the first frame. */
    void open() {
        scheduleDrain();
    }

    void write(byte[] frame) {
        unwrittenBytes.addAndGet(frame.length);
        queued.add(ByteBuffer.wrap(frame));
        scheduleDrain();
    }

    /** Ends the response once everything queued before is written. */
    void close() {
        queued.add(END_OF_STREAM);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            exchange.getIoThread().execute(() -> {
                drainScheduled.set(false);
                handleEvent(channel);
            });
        }
    }

    /** Writes what is queued; runs on the IO thread, from a drain task or as the channel's write listener. */
    @Override
    public void handleEvent(StreamSinkChannel ignored) {
        if (exchange.isComplete()) {
            queued.clear(); // the client is gone
            return;
        }
        try {
            if (channel == null) {
                channel = startResponse();
            }
            if (writeQueued() && channel.flush()) {
                channel.suspendWrites();
            } else {
                channel.resumeWrites();
            }
            applyBackPressure();
        } catch (IOException e) {
            onWriteFailure.run();
        }
    }

    private void applyBackPressure() {
        if (call == null) {
            return;
        }
        long unwritten = unwrittenBytes.get();
        if (!paused && unwritten > bufferBytes) {
            paused = true;
            call.pause();
        } else if (paused && unwritten <= bufferBytes / 2) {
            paused = false;
            call.resume();
        }
    }

    private StreamSinkChannel startResponse() {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream")
                .put(Headers.CACHE_CONTROL, "no-cache");
        StreamSinkChannel responseChannel = exchange.getResponseChannel();
        responseChannel.getWriteSetter().set(this);
        return responseChannel;
    }

    /** True when everything queued so far has been handed to the channel. */
    private boolean writeQueued() throws IOException {
        while (true) {
            if (writing == null) {
                writing = queued.poll();
                if (writing == null) {
                    return true;
                }
            }
            if (writing == END_OF_STREAM) {
                writing = null;
                channel.shutdownWrites(); // the flush that follows completes the exchange
                return true;
            }
            unwrittenBytes.addAndGet(-channel.write(writing));
            if (writing.hasRemaining()) {
                return false;
            }
            writing = null;
        }
    }
}
