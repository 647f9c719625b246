package io.minilb.simulator.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.xnio.channels.StreamSinkChannel;

/**
 * A {@code text/event-stream} answer as SGLang writes it: {@code data: <json>\n\n} frames, each flushed as soon
 * as it is written, ending with {@code data: [DONE]\n\n}. Frames queue up and are written without blocking, one
 * after another. IO thread only.
 */
public final class SseStream {
    private static final String DONE = "[DONE]";

    private final AsyncExchange owner;
    private final StreamSinkChannel channel;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final Integer dropAfterFrames;
    private int frames;
    private boolean ending;
    private boolean shutDown;

    private SseStream(AsyncExchange owner, StreamSinkChannel channel, Integer dropAfterFrames) {
        this.owner = owner;
        this.channel = channel;
        this.dropAfterFrames = dropAfterFrames;
    }

    static SseStream open(AsyncExchange owner, Integer dropAfterFrames) {
        HttpServerExchange exchange = owner.exchange();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-cache");
        SseStream stream = new SseStream(owner, exchange.getResponseChannel(), dropAfterFrames);
        stream.channel.getWriteSetter().set(channel -> stream.pump());
        stream.pump(); // sends the headers now, as SGLang does before its first frame
        return stream;
    }

    /** Queues a frame; ignored once the stream ended, or reached the frame count after which it is dropped. */
    public void send(String json) {
        if (ending || owner.isFinished() || dropDue()) {
            return;
        }
        queue.add(ByteBuffer.wrap(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8)));
        frames++;
        pump();
    }

    /** Queues the final {@code [DONE]} frame and completes the exchange once everything is written. */
    public void end() {
        if (ending || owner.isFinished() || dropDue()) {
            return;
        }
        send(DONE);
        ending = true;
        owner.finish(false);
        pump();
    }

    private boolean dropDue() {
        return dropAfterFrames != null && frames >= dropAfterFrames;
    }

    private void pump() {
        try {
            while (!queue.isEmpty()) {
                ByteBuffer head = queue.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    channel.resumeWrites();
                    return;
                }
                queue.poll();
            }
            if (ending && !shutDown) {
                shutDown = true;
                channel.shutdownWrites();
            }
            if (!channel.flush()) {
                channel.resumeWrites();
                return;
            }
            channel.suspendWrites();
            if (dropDue()) {
                owner.drop();
            }
        } catch (IOException e) {
            owner.clientGone();
        }
    }
}
