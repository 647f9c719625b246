package io.minilb.adapters.in.http;

import io.minilb.application.generation.GenerationCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSinkChannel;

/**
 * An event-stream response body fed from any thread. Frames are queued and written on the exchange's IO thread,
 * those queued together in one gathering write (one chunk, one system call: a decode's read often carries many
 * frames), and flushed as soon as the queue is empty, so each frame reaches the client when it arrives.
 * When the client reads slowly the channel's write listener resumes the writing once it can take more (the pattern
 * of Undertow's {@code ServerSentEventConnection}).
 *
 * <p>The queue is bounded by back-pressure on the generation (see {@link StreamBackPressure}): past
 * {@code bufferBytes} not yet written to the client the call is paused, so the decode waits on TCP, and resumed once
 * the client has taken half of them. Frames that still arrive while the decode stops are queued.
 */
final class EventStreamWriter implements ChannelListener<StreamSinkChannel> {

    private static final ByteBuffer END_OF_STREAM = ByteBuffer.allocate(0);
    /** The most frames one write gathers. */
    private static final int MAX_BATCH = 64;

    private final HttpServerExchange exchange;
    private final StreamBackPressure backPressure;
    private final Runnable onWriteFailure;
    private final Queue<ByteBuffer> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // IO thread only
    private StreamSinkChannel channel;
    /** Frames taken from the queue and not yet all written: {@code batch[0..batchSize)}. */
    private final ByteBuffer[] batch = new ByteBuffer[MAX_BATCH];
    private int batchSize;
    private boolean endTaken;

    EventStreamWriter(HttpServerExchange exchange, int bufferBytes, Runnable onWriteFailure) {
        this.exchange = exchange;
        this.backPressure = new StreamBackPressure(bufferBytes);
        this.onWriteFailure = onWriteFailure;
    }

    /** The call to pause and resume, known once routing returned. Runs on the IO thread. */
    void regulate(GenerationCall call) {
        backPressure.attach(call);
    }

    /** Sends the status and headers now, before the first frame. */
    void open() {
        scheduleDrain();
    }

    void write(byte[] frame) {
        backPressure.queued(frame.length);
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
            backPressure.resumeIfCaughtUp();
        } catch (IOException e) {
            onWriteFailure.run();
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
            if (batchSize == 0 && !takeBatch()) {
                if (endTaken) {
                    endTaken = false;
                    channel.shutdownWrites(); // the flush that follows completes the exchange
                }
                return true;
            }
            // Always from offset 0: Undertow 2.3's chunked conduit, continuing a chunk it could not finish, restores
            // the limit of buffer length - 1 rather than offset + length - 1, and the rest of a frame would be lost.
            backPressure.written(channel.write(batch, 0, batchSize));
            int done = 0;
            while (done < batchSize && !batch[done].hasRemaining()) {
                done++;
            }
            System.arraycopy(batch, done, batch, 0, batchSize - done);
            Arrays.fill(batch, batchSize - done, batchSize, null);
            batchSize -= done;
            if (batchSize > 0) {
                return false;
            }
        }
    }

    /** Moves queued frames into the batch, up to the end of the stream; false when there were none. */
    private boolean takeBatch() {
        ByteBuffer next;
        while (batchSize < MAX_BATCH && !endTaken && (next = queued.poll()) != null) {
            if (next == END_OF_STREAM) {
                endTaken = true;
            } else {
                batch[batchSize++] = next;
            }
        }
        return batchSize > 0;
    }
}
