package io.minilb.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@code text/event-stream} answer as SGLang writes it: {@code data: <json>\n\n} frames, each flushed as soon
 * as it is written, ending with {@code data: [DONE]\n\n}. Frames are written without blocking, one after another;
 * while the client lags behind by more than {@link ChannelWriter#BACKLOG_LIMIT}, {@link #isBackedUp()} tells the
 * generation to wait for {@link #whenDrained}. IO thread only, but for the counters.
 */
public final class SseStream {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final AsyncExchange owner;
    private final Integer dropAfterFrames;
    private ChannelWriter writer;
    private volatile int frames; // read by the state report from other threads
    private boolean ending;

    private SseStream(AsyncExchange owner, Integer dropAfterFrames) {
        this.owner = owner;
        this.dropAfterFrames = dropAfterFrames;
    }

    static SseStream open(AsyncExchange owner, Integer dropAfterFrames) {
        HttpServerExchange exchange = owner.exchange();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-cache");
        SseStream stream = new SseStream(owner, dropAfterFrames);
        stream.writer = new ChannelWriter(exchange.getResponseChannel(), new ChannelWriter.Events() {
            @Override
            public void flushed() {
                if (stream.dropDue()) {
                    owner.drop();
                }
            }

            @Override
            public void failed(IOException e) {
                owner.clientGone();
            }
        });
        owner.onFinish(stream.writer::cancelWaiters);
        stream.writer.start(); // sends the headers now, as SGLang does before its first frame
        return stream;
    }

    /** Queues a frame; ignored once the stream ended, or reached the frame count after which it is dropped. */
    public void send(JsonNode frame) {
        if (ending || owner.isFinished() || dropDue()) {
            return;
        }
        ByteChunks bytes = new ByteChunks();
        bytes.write(DATA, 0, DATA.length);
        Json.writeTo(bytes, frame);
        bytes.write(FRAME_END, 0, FRAME_END.length);
        frames++;
        writer.write(bytes.drain());
    }

    /** Queues the final {@code [DONE]} frame and completes the exchange once everything is written. */
    public void end() {
        if (ending || owner.isFinished() || dropDue()) {
            return;
        }
        ending = true;
        writer.write(ByteBuffer.wrap(DONE));
        owner.finish(false);
        writer.end();
    }

    /** Whether the client lags so far behind that the generation should wait. */
    public boolean isBackedUp() {
        return writer.isBackedUp();
    }

    /** Runs {@code resume} once the client has caught up, unless the stream ended or the client left by then. */
    public void whenDrained(Runnable resume) {
        writer.whenDrained(() -> {
            if (!owner.isFinished()) {
                resume.run();
            }
        });
    }

    /** Frames sent so far, {@code [DONE]} not included. Any thread. */
    public int frames() {
        return frames;
    }

    /** Bytes queued and not yet taken by the socket. Any thread. */
    public long unwrittenBytes() {
        return writer.unwrittenBytes();
    }

    private boolean dropDue() {
        return dropAfterFrames != null && frames >= dropAfterFrames;
    }
}
