package io.minilb.adapters.out.http;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.Side;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the prefill's response, which the client never sees but for a 4xx: a 4xx is the client's answer (its first
 * {@link #REJECTION_BODY_BYTES}), any other error status fails the generation, logprobs are kept when asked for
 * (only their lists, and of a stream only each item's first frame), and everything else is read and dropped so the
 * connection goes back to the pool.
 */
final class PrefillResponse implements LegListener {

    /** How much of a 4xx body the client gets: SGLang's rejections are a line of JSON. */
    static final int REJECTION_BODY_BYTES = 64 * 1024;
    /**
     * How much of another error's body is read before the generation fails: an error body this short has usually
     * arrived whole with its status line, so the connection goes back to the pool instead of being closed (a storm of
     * 503s would otherwise cost a new connection each); a longer one is not waited for.
     */
    static final int ERROR_BODY_DRAIN_BYTES = 16 * 1024;

    private final PairedExchange exchange;
    private final boolean stream;
    private final boolean keepLogprobs;
    private final int maxResponseBytes;
    private final MemoryBudget.Share memory;
    private int status;
    private String contentType;
    /** Bytes of an error status's body read so far, or -1 when the status was not an error. */
    private long errorBodyBytes = -1;
    /** The start of a 4xx body, until it is passed on. */
    private HeldBody rejection;
    /** The whole body, when the logprobs in it may be needed. */
    private HeldBody logprobBody;
    /** The frames of a stream, when the logprobs in them may be needed. */
    private BoundedFrames logprobFrames;
    private PrefillLogprobs.Collector collected;

    PrefillResponse(PairedExchange exchange, boolean stream, boolean keepLogprobs, int maxResponseBytes,
            MemoryBudget.Share memory) {
        this.exchange = exchange;
        this.stream = stream;
        this.keepLogprobs = keepLogprobs;
        this.maxResponseBytes = maxResponseBytes;
        this.memory = memory;
    }

    @Override
    public void onHead(int status, String contentType) {
        this.status = status;
        this.contentType = contentType;
        if (status >= 400 && status < 500) {
            if (exchange.prefillRejects()) {
                rejection = new HeldBody(REJECTION_BODY_BYTES, memory);
            }
        } else if (!PairedExchange.isSuccess(status)) {
            errorBodyBytes = 0;
        } else if (keepLogprobs && stream) {
            logprobFrames = new BoundedFrames(maxResponseBytes, memory);
            collected = new PrefillLogprobs.Collector();
        } else if (keepLogprobs) {
            logprobBody = new HeldBody(maxResponseBytes, memory);
        }
    }

    @Override
    public void onData(ByteBuffer chunk) {
        try {
            if (errorBodyBytes >= 0) {
                drainErrorBody(chunk.remaining());
            } else if (rejection != null) {
                keepRejection(chunk);
            } else if (logprobBody != null) {
                logprobBody.append(chunk);
            } else if (logprobFrames != null) {
                for (byte[] frame : logprobFrames.split(chunk)) {
                    collect(frame);
                }
            }
        } catch (CannotHold e) {
            refuse(e);
        } catch (IOException e) {
            unreadable(e);
        }
        chunk.position(chunk.limit());
    }

    @Override
    public void onEnd() {
        try {
            if (errorBodyBytes >= 0) {
                reportErrorStatus();
            } else if (rejection != null) {
                passRejectionOn();
            } else if (logprobBody != null) {
                byte[] body = logprobBody.take();
                logprobBody = null;
                PrefillLogprobs logprobs = PrefillLogprobs.fromBody(body);
                hold(logprobs.size());
                memory.letGo(body.length);
                exchange.prefillLogprobsArrived(logprobs);
            } else if (collected != null) {
                exchange.prefillLogprobsArrived(collected.result());
            }
        } catch (CannotHold e) {
            refuse(e);
        } catch (IOException e) {
            unreadable(e);
        }
    }

    @Override
    public void onFailure(Exception error) {
        exchange.legFailed(Side.PREFILL, error);
    }

    private void drainErrorBody(int bytes) {
        errorBodyBytes += bytes;
        if (errorBodyBytes > ERROR_BODY_DRAIN_BYTES) {
            reportErrorStatus();
        }
    }

    private void reportErrorStatus() {
        errorBodyBytes = -1;
        exchange.prefillFailed(Kind.UPSTREAM_ERROR, "answered HTTP " + status);
    }

    /** Passes the rejection on once it is complete or as long as the client gets, without waiting for more. */
    private void keepRejection(ByteBuffer chunk) throws CannotHold {
        int length = Math.min(chunk.remaining(), rejection.room());
        rejection.append(chunk.slice(chunk.position(), length));
        if (rejection.room() == 0) {
            passRejectionOn();
        }
    }

    private void passRejectionOn() throws CannotHold {
        byte[] body = rejection.take();
        rejection = null;
        exchange.prefillRejected(status, contentType, body);
    }

    private void collect(byte[] frame) throws IOException, CannotHold {
        hold(collected.accept(frame));
    }

    private void hold(long bytes) throws CannotHold {
        if (!memory.tryHold(bytes)) {
            throw CannotHold.noBudget();
        }
    }

    private void refuse(CannotHold e) {
        stopKeeping();
        exchange.cannotHold(Side.PREFILL, e.kind());
    }

    private void unreadable(IOException e) {
        stopKeeping();
        exchange.prefillFailed(Kind.BAD_RESPONSE, "unreadable logprobs: " + TransportErrors.unreadable(e));
    }

    private void stopKeeping() {
        rejection = null;
        logprobBody = null;
        logprobFrames = null;
        collected = null;
    }
}
