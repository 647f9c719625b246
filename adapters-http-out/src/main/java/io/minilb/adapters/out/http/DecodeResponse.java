package io.minilb.adapters.out.http;

import io.minilb.application.generation.Side;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads the decode's response: an event stream frame by frame when the client asked for one and
 * the decode answered 2xx with one; anything else whole.
 */
final class DecodeResponse implements LegListener {

    /** Enough for a typical non-streaming answer without growing. */
    private static final int WHOLE_BODY_CAPACITY = 4096;

    private final PairedExchange exchange;
    private final boolean streamRequested;
    private final Consumer<byte[]> frameSink;
    private int status;
    private String contentType;
    private SseFrameSplitter frames;
    private ByteAccumulator body;

    DecodeResponse(PairedExchange exchange, boolean streamRequested) {
        this.exchange = exchange;
        this.streamRequested = streamRequested;
        this.frameSink = exchange::decodeFrame;
    }

    @Override
    public void onHead(int status, String contentType) {
        this.status = status;
        this.contentType = contentType;
        boolean streaming = streamRequested && PairedExchange.isSuccess(status) && SseFrames.isEventStream(contentType);
        if (streaming) {
            frames = new SseFrameSplitter();
        } else {
            body = new ByteAccumulator(WHOLE_BODY_CAPACITY);
        }
        exchange.decodeAnswered(status, streaming);
    }

    @Override
    public void onData(ByteBuffer chunk) {
        if (frames != null) {
            frames.split(chunk, frameSink);
        } else {
            body.append(chunk);
        }
    }

    @Override
    public void onEnd() {
        if (frames != null) {
            exchange.decodeStreamEnded();
        } else {
            exchange.decodeAnsweredWhole(status, contentType, body.toByteArray());
        }
    }

    @Override
    public void onFailure(Exception error) {
        exchange.legFailed(Side.DECODE, error);
    }
}
