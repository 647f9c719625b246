package io.minilb.adapters.out.http;

import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.Side;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the prefill's response, which the client never sees: an error status fails the
 * generation, logprobs are kept when asked for, and everything else is read and dropped so the
 * connection goes back to the pool.
 */
final class PrefillResponse implements LegListener {

    /** How much of an error body goes into the failure message. */
    private static final int SNIPPET_LENGTH = 200;

    private final PairedExchange exchange;
    private final boolean stream;
    private final boolean keepLogprobs;
    private int status;
    /** The start of a non-2xx body, until it is reported. */
    private ByteAccumulator errorBody;
    /** The whole body, when the logprobs in it may be needed. */
    private ByteAccumulator logprobBody;

    PrefillResponse(PairedExchange exchange, boolean stream, boolean keepLogprobs) {
        this.exchange = exchange;
        this.stream = stream;
        this.keepLogprobs = keepLogprobs;
    }

    @Override
    public void onHead(int status, String contentType) {
        this.status = status;
        if (!PairedExchange.isSuccess(status)) {
            errorBody = new ByteAccumulator(SNIPPET_LENGTH);
        } else if (keepLogprobs) {
            logprobBody = new ByteAccumulator();
        }
    }

    @Override
    public void onData(ByteBuffer chunk) {
        if (errorBody != null) {
            errorBody.append(chunk, Math.min(chunk.remaining(), SNIPPET_LENGTH - errorBody.size()));
            if (errorBody.size() == SNIPPET_LENGTH) {
                reportErrorStatus();
            }
        } else if (logprobBody != null) {
            logprobBody.append(chunk);
        }
        chunk.position(chunk.limit());
    }

    @Override
    public void onEnd() {
        if (errorBody != null) {
            reportErrorStatus();
        } else if (logprobBody != null) {
            reportLogprobs();
        }
    }

    @Override
    public void onFailure(Exception error) {
        exchange.legFailed(Side.PREFILL, error);
    }

    /** Fails without waiting for the rest of a long error body. */
    private void reportErrorStatus() {
        String snippet = new String(errorBody.toByteArray(), StandardCharsets.UTF_8).strip();
        errorBody = null;
        exchange.prefillFailed(Kind.UPSTREAM_ERROR, "answered HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet));
    }

    private void reportLogprobs() {
        byte[] body = logprobBody.toByteArray();
        try {
            exchange.prefillLogprobsArrived(
                    stream ? PrefillLogprobs.fromEventStream(body) : PrefillLogprobs.fromBody(body));
        } catch (IOException e) {
            exchange.prefillFailed(Kind.BAD_RESPONSE, "unreadable logprobs: " + PairedExchange.reason(e));
        }
    }
}
