package io.minilb.adapters.out.http;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.generation.Side;
import java.nio.ByteBuffer;

/**
 * Reads the decode's response: an event stream frame by frame when the client asked for one and
 * the decode answered 2xx with one; anything else whole, within the response limit.
 */
final class DecodeResponse implements LegListener {

    private final PairedExchange exchange;
    private final boolean streamRequested;
    private final int maxResponseBytes;
    private final MemoryBudget.Share memory;
    private int status;
    private String contentType;
    private BoundedFrames frames;
    private HeldBody body;
    /** Once the answer could not be held, the rest is dropped: the exchange has failed and cancels the leg. */
    private boolean refused;

    DecodeResponse(PairedExchange exchange, boolean streamRequested, int maxResponseBytes, MemoryBudget.Share memory) {
        this.exchange = exchange;
        this.streamRequested = streamRequested;
        this.maxResponseBytes = maxResponseBytes;
        this.memory = memory;
    }

    @Override
    public void onHead(int status, String contentType) {
        this.status = status;
        this.contentType = contentType;
        boolean streaming = streamRequested && PairedExchange.isSuccess(status) && SseFrames.isEventStream(contentType);
        if (streaming) {
            frames = new BoundedFrames(maxResponseBytes, memory);
        } else {
            body = new HeldBody(maxResponseBytes, memory);
        }
        exchange.decodeAnswered(status, streaming);
    }

    @Override
    public void onData(ByteBuffer chunk) {
        try {
            if (refused) {
                chunk.position(chunk.limit());
            } else if (frames != null) {
                frames.split(chunk).forEach(exchange::decodeFrame);
            } else {
                body.append(chunk);
            }
        } catch (CannotHold e) {
            refuse(e);
            chunk.position(chunk.limit());
        }
    }

    @Override
    public void onEnd() {
        if (refused) {
            return;
        }
        if (frames != null) {
            exchange.decodeStreamEnded();
            return;
        }
        try {
            exchange.decodeAnsweredWhole(status, contentType, body.take());
        } catch (CannotHold e) {
            refuse(e);
        }
    }

    @Override
    public void onFailure(Exception error) {
        exchange.legFailed(Side.DECODE, error);
    }

    private void refuse(CannotHold e) {
        refused = true;
        body = null;
        exchange.cannotHold(Side.DECODE, e.kind());
    }
}
