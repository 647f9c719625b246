package io.minilb.adapters.out.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Side;
import io.minilb.domain.BackendPair;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * One generation in flight: its two legs, the rules that decide what the client gets, and the
 * deadline over both.
 *
 * <p>The client gets the decode's answer. A failure of either leg ends the generation at once and
 * cancels the other leg, except that a prefill failure stops mattering once the decode has
 * committed to its answer, unless that answer still needs the prefill's logprobs. A whole answer
 * commits with its status line; a stream with its first frame, because SGLang sends a stream's
 * headers before the KV transfer that a prefill failure would leave the decode waiting for.
 *
 * <p>Leg events arrive on HttpClient's IO threads, the deadline on the JDK's shared delay
 * scheduler, {@link #cancel} on the caller's thread. Every state change and observer call happens
 * under this object's monitor, so the observer sees one ordered sequence that ends exactly once,
 * and nothing once {@code cancel} has returned. Legs may be cancelled under the monitor: that
 * closes a socket and never blocks.
 */
final class PairedExchange implements GenerationCall {

    private static final String MERGED_CONTENT_TYPE = "application/json";

    private final BackendPair pair;
    private final GenerationObserver observer;
    private final boolean streamRequested;
    private final boolean logprobsRequested;
    private final Duration timeout;
    private final BackendLeg prefill;
    private final BackendLeg decode;
    /** Completes when both legs are over; times out after the request timeout. */
    private final CompletableFuture<Void> deadline = new CompletableFuture<>();

    // Guarded by this.
    private boolean over;
    private boolean decodeCommitted;
    private boolean mergeLogprobs;
    private PrefillLogprobs prefillLogprobs;
    private boolean streamStarted;
    private boolean decodeStreamEnded;
    private ArrayDeque<byte[]> heldFrames;
    private WholeAnswer heldAnswer;

    PairedExchange(BackendPair pair, GenerationRequest request, GenerationObserver observer, Duration timeout) {
        this.pair = pair;
        this.observer = observer;
        this.streamRequested = request.stream();
        this.logprobsRequested = request.returnLogprob();
        this.timeout = timeout;
        this.prefill = new BackendLeg(new PrefillResponse(this, streamRequested, logprobsRequested), this::legFinished);
        this.decode = new BackendLeg(new DecodeResponse(this, streamRequested), this::legFinished);
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** Sends the same body to both servers at once: the decode must announce itself while the prefill runs. */
    void start(CloseableHttpAsyncClient client, URI prefillUri, URI decodeUri, byte[] body) {
        deadline.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((done, timedOut) -> {
            if (timedOut != null) {
                timedOut();
            }
        });
        prefill.start(client, prefillUri, body);
        decode.start(client, decodeUri, body);
    }

    @Override
    public void cancel() {
        synchronized (this) {
            over = true;
        }
        stopLegs();
    }

    @Override
    public void pause() {
        decode.pause(BackendLeg.PauseReason.CLIENT_BACKLOG);
    }

    @Override
    public void resume() {
        decode.resume(BackendLeg.PauseReason.CLIENT_BACKLOG);
    }

    // ---- decode events

    void decodeAnswered(int status, boolean streaming) {
        boolean success = isSuccess(status);
        synchronized (this) {
            mergeLogprobs = logprobsRequested && success && (streaming || !streamRequested);
            decodeCommitted = !streaming;
        }
        if (!success) {
            // The decode turned the request down, so the prefill would wait for it in vain.
            prefill.cancel();
        }
    }

    void decodeFrame(byte[] frame) {
        synchronized (this) {
            if (over) {
                return;
            }
            decodeCommitted = true;
            if (awaitingLogprobs()) {
                hold(frame);
            } else {
                deliver(frame);
            }
        }
    }

    void decodeStreamEnded() {
        synchronized (this) {
            if (over) {
                return;
            }
            decodeCommitted = true;
            decodeStreamEnded = true;
            if (!awaitingLogprobs()) {
                endStream();
            }
        }
    }

    void decodeAnsweredWhole(int status, String contentType, byte[] body) {
        synchronized (this) {
            if (over) {
                return;
            }
            heldAnswer = new WholeAnswer(status, contentType, body);
            if (!awaitingLogprobs()) {
                answerWhole();
            }
        }
    }

    // ---- prefill events

    void prefillLogprobsArrived(PrefillLogprobs logprobs) {
        synchronized (this) {
            if (over) {
                return;
            }
            prefillLogprobs = logprobs;
            if (!mergeLogprobs) {
                return;
            }
            if (heldAnswer != null) {
                answerWhole();
            } else {
                releaseHeldFrames();
            }
        }
        decode.resume(BackendLeg.PauseReason.AWAITING_LOGPROBS);
    }

    void prefillFailed(Kind kind, String problem) {
        synchronized (this) {
            if (decodeCommitted && !mergeLogprobs) {
                return;
            }
            fail(failure(Side.PREFILL, kind, problem));
        }
    }

    // ---- either leg

    void legFailed(Side side, Exception error) {
        Kind kind = TransportErrors.kind(error);
        String problem = TransportErrors.describe(error);
        if (side == Side.PREFILL) {
            prefillFailed(kind, problem);
        } else {
            fail(failure(side, kind, problem));
        }
    }

    private void legFinished() {
        if (!prefill.isRunning() && !decode.isRunning()) {
            deadline.complete(null);
        }
    }

    private void timedOut() {
        Side late = decode.isRunning() ? Side.DECODE : Side.PREFILL;
        fail(failure(late, Kind.TIMEOUT, TransportErrors.timedOutAfter(timeout)));
        // Also when the client has its answer and only the prefill's draining is left.
        stopLegs();
    }

    // ---- under the monitor

    private boolean awaitingLogprobs() {
        return mergeLogprobs && prefillLogprobs == null;
    }

    /** Keeps the frame until the prefill's logprobs arrive, and stops reading the decode meanwhile. */
    private void hold(byte[] frame) {
        if (heldFrames == null) {
            heldFrames = new ArrayDeque<>();
        }
        heldFrames.add(frame);
        decode.pause(BackendLeg.PauseReason.AWAITING_LOGPROBS);
    }

    private void releaseHeldFrames() {
        while (heldFrames != null && !heldFrames.isEmpty() && !over) {
            deliver(heldFrames.poll());
        }
        if (decodeStreamEnded && !over) {
            endStream();
        }
    }

    private void deliver(byte[] frame) {
        byte[] merged = frame;
        if (mergeLogprobs) {
            try {
                merged = prefillLogprobs.prependToFrame(frame);
            } catch (IOException e) {
                fail(failure(Side.DECODE, Kind.BAD_RESPONSE, "unreadable event for logprob merging: " + reason(e)));
                return;
            }
        }
        startStream();
        observer.onFrame(merged);
    }

    private void endStream() {
        startStream();
        over = true;
        observer.onStreamEnd();
    }

    private void startStream() {
        if (!streamStarted) {
            streamStarted = true;
            observer.onStreamStart();
        }
    }

    private void answerWhole() {
        WholeAnswer answer = heldAnswer;
        if (!mergeLogprobs) {
            over = true;
            observer.onResponse(answer.status(), answer.contentType(), answer.body());
            return;
        }
        byte[] merged;
        try {
            merged = prefillLogprobs.prependToBody(answer.body());
        } catch (IOException e) {
            fail(failure(Side.DECODE, Kind.BAD_RESPONSE, "unreadable answer for logprob merging: " + reason(e)));
            return;
        }
        over = true;
        observer.onResponse(answer.status(), MERGED_CONTENT_TYPE, merged);
    }

    private void fail(GenerationFailure failure) {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            stopLegs();
            observer.onFailure(failure);
        }
    }

    // ---- helpers

    private void stopLegs() {
        prefill.cancel();
        decode.cancel();
    }

    private GenerationFailure failure(Side side, Kind kind, String problem) {
        String url = side == Side.PREFILL ? pair.prefill().url() : pair.decode().url();
        return new GenerationFailure(side, kind, side.label() + " " + url + ": " + problem);
    }

    static String reason(IOException e) {
        return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    }

    private record WholeAnswer(int status, String contentType, byte[] body) {
    }
}
