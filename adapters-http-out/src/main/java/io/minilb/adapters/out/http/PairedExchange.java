package io.minilb.adapters.out.http;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.generation.RequestLogging;
import io.minilb.application.generation.Side;
import io.minilb.application.limits.MemoryBudget;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>A request a server turns down with a 4xx is the client's error: the first leg to reject it
 * (by its status line) answers the client with that status and body, and the other is cancelled;
 * a prefill's rejection is subject to the same commit rule as its failures.
 *
 * <p>Everything held whole (an answer, the prompt's logprobs, frames awaiting them, a merge) is
 * bounded by {@link ResponseLimits} and reserved in the memory budget through {@link MemoryBudget.Share},
 * which gives it all back when the generation ends, however it ends.
 *
 * <p>Leg events arrive on HttpClient's IO threads, the deadline on the JDK's shared delay
 * scheduler, {@link #cancel} on the caller's thread. Every state change and observer call happens
 * under this object's monitor, so the observer sees one ordered sequence that ends exactly once,
 * and nothing once {@code cancel} has returned. Legs may be cancelled under the monitor: that
 * closes a socket and never blocks.
 */
final class PairedExchange implements GenerationCall {

    private static final Logger LOG = LoggerFactory.getLogger(PairedExchange.class);
    private static final String MERGED_CONTENT_TYPE = "application/json";

    private final GenerationObserver observer;
    private final RequestContext context;
    private final boolean streamRequested;
    private final boolean logprobsRequested;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final MemoryBudget.Share memory;
    private final BackendLeg prefill;
    private final BackendLeg decode;
    /** Completes when both legs are over; times out after the request timeout. */
    private final CompletableFuture<Void> deadline = new CompletableFuture<>();

    // Guarded by this.
    private boolean over;
    private boolean decodeCommitted;
    /** The decode's status line arrived. */
    private boolean decodeAnswerBegan;
    /** The leg whose 4xx (or, for the decode, any non-2xx) answers the client, once one has claimed it. */
    private Side rejectedBy;
    private boolean mergeLogprobs;
    /** Set when the prefill's logprobs arrived. */
    private LogprobMerger merger;
    private boolean streamStarted;
    private boolean decodeStreamEnded;
    private ArrayDeque<byte[]> heldFrames;
    private WholeAnswer heldAnswer;

    PairedExchange(GenerationRequest request, GenerationObserver observer, Duration timeout, ResponseLimits limits,
            MemoryBudget budget) {
        this.observer = observer;
        this.context = request.context();
        this.streamRequested = request.stream();
        this.logprobsRequested = request.returnLogprob();
        this.timeout = timeout;
        this.maxResponseBytes = limits.maxResponseBytes();
        this.memory = budget.newShare();
        this.prefill = new BackendLeg(
                new PrefillResponse(this, streamRequested, logprobsRequested, maxResponseBytes, memory),
                this::legFinished);
        this.decode = new BackendLeg(
                new DecodeResponse(this, streamRequested, maxResponseBytes, memory), this::legFinished);
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** Sends the same body to both servers at once: the decode must announce itself while the prefill runs. */
    void start(CloseableHttpAsyncClient client, URI prefillUri, URI decodeUri, byte[] body, OutboundHeaders headers) {
        deadline.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((done, timedOut) -> {
            if (timedOut != null) {
                timedOut();
            }
        });
        prefill.start(client, prefillUri, body, headers, context);
        decode.start(client, decodeUri, body, headers, context);
        observer.onDispatched();
    }

    @Override
    public void cancel() {
        synchronized (this) {
            end();
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
            decodeAnswerBegan = true;
            if (rejectedBy == Side.PREFILL) {
                return;
            }
            mergeLogprobs = logprobsRequested && success && (streaming || !streamRequested);
            decodeCommitted = !streaming;
            if (!success) {
                rejectedBy = Side.DECODE;
            }
        }
        if (!success) {
            // The decode turned the request down, so the prefill would wait for it in vain.
            prefill.cancel();
        }
    }

    void decodeFrame(byte[] frame) {
        synchronized (this) {
            if (decodeIgnored()) {
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
            if (decodeIgnored()) {
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
            if (decodeIgnored()) {
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
            merger = new LogprobMerger(logprobs, maxResponseBytes, memory);
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
            if (!prefillMatters()) {
                return;
            }
            fail(failure(Side.PREFILL, kind, problem));
        }
    }

    /**
     * The prefill turned the request down with a 4xx: claims the client's answer for it unless the decode
     * answered first; then the decode is cancelled. Returns whether the prefill's answer is wanted.
     */
    boolean prefillRejects() {
        synchronized (this) {
            if (over || rejectedBy != null || !prefillMatters()) {
                return false;
            }
            rejectedBy = Side.PREFILL;
        }
        decode.cancel();
        return true;
    }

    /** The (start of the) body of the rejection {@link #prefillRejects} claimed. */
    void prefillRejected(int status, String contentType, byte[] body) {
        synchronized (this) {
            if (over) {
                return;
            }
            end();
            observer.onResponse(status, contentType, body);
        }
        prefill.cancel();
    }

    // ---- either leg

    void legFailed(Side side, Exception error) {
        RequestLogging.run(context, () -> LOG.debug("{} leg failed", side.label(), error));
        Kind kind = TransportErrors.kind(error);
        String problem = TransportErrors.describe(error);
        if (side == Side.PREFILL) {
            prefillFailed(kind, problem);
            return;
        }
        synchronized (this) {
            if (rejectedBy != Side.PREFILL) {
                fail(failure(side, kind, problem));
            }
        }
    }

    /** A leg's answer could not be held: too large, or no memory left for it. */
    void cannotHold(Side side, Kind kind) {
        String problem = kind == Kind.RESPONSE_TOO_LARGE
                ? "answer larger than the " + maxResponseBytes + "-byte limit on held answers (max-response-bytes)"
                : "no memory left for its answer in mini-lb's budget";
        fail(failure(side, kind, problem));
    }

    private void legFinished() {
        if (!prefill.isRunning() && !decode.isRunning()) {
            deadline.complete(null);
        }
    }

    /** While the prefill has not finished, the decode is waiting for its KV: the prefill is the one late. */
    /**
     * Names the server that kept the generation waiting. A prefill that has not finished while the decode has begun
     * its answer (SGLang starts a stream before the KV arrives) left the decode waiting for KV: the prefill's timeout.
     * When neither said anything it cannot be told apart (a frozen decode leaves its prefill waiting too): the decode
     * is named, and the message says neither answered.
     */
    private void timedOut() {
        boolean decodeBegan;
        synchronized (this) {
            decodeBegan = decodeAnswerBegan;
        }
        String problem = TransportErrors.timedOutAfter(timeout);
        if (!prefill.isRunning()) {
            fail(failure(Side.DECODE, Kind.TIMEOUT, problem));
        } else if (decodeBegan) {
            fail(failure(Side.PREFILL, Kind.TIMEOUT, problem + " (the decode was waiting for its KV)"));
        } else {
            fail(failure(Side.DECODE, Kind.TIMEOUT, problem + " without an answer from either server"));
        }
        // Also when the client has its answer and only the prefill's draining is left.
        stopLegs();
    }

    // ---- under the monitor

    private boolean decodeIgnored() {
        return over || rejectedBy == Side.PREFILL;
    }

    /** A prefill failure ends the generation until the decode committed to an answer that needs nothing more. */
    private boolean prefillMatters() {
        return !decodeCommitted || mergeLogprobs;
    }

    /** Ends the generation: nothing more reaches the observer, and the memory it held is given back. */
    private void end() {
        over = true;
        memory.end();
    }

    private boolean awaitingLogprobs() {
        return mergeLogprobs && merger == null;
    }

    /** Keeps the frame until the prefill's logprobs arrive, and stops reading the decode meanwhile. */
    private void hold(byte[] frame) {
        if (!memory.tryHold(frame.length)) {
            cannotHold(Side.DECODE, Kind.OVERLOADED);
            return;
        }
        if (heldFrames == null) {
            heldFrames = new ArrayDeque<>();
        }
        heldFrames.add(frame);
        decode.pause(BackendLeg.PauseReason.AWAITING_LOGPROBS);
    }

    private void releaseHeldFrames() {
        while (heldFrames != null && !heldFrames.isEmpty() && !over) {
            byte[] frame = heldFrames.poll();
            deliver(frame);
            memory.letGo(frame.length);
        }
        if (decodeStreamEnded && !over) {
            endStream();
        }
    }

    private void deliver(byte[] frame) {
        if (!mergeLogprobs) {
            startStream();
            observer.onFrame(frame);
            return;
        }
        byte[] merged = merge(frame, true);
        if (merged != null) {
            startStream();
            observer.onFrame(merged);
            memory.letGo(merged.length);
        }
    }

    private void endStream() {
        startStream();
        end();
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
        byte[] body = mergeLogprobs ? merge(answer.body(), false) : answer.body();
        if (body != null) {
            end();
            observer.onResponse(answer.status(), mergeLogprobs ? MERGED_CONTENT_TYPE : answer.contentType(), body);
        }
    }

    /** The decode's frame or whole answer with the prompt's logprobs merged in; null when the generation failed instead. */
    private byte[] merge(byte[] decodeAnswer, boolean frame) {
        try {
            return frame ? merger.intoFrame(decodeAnswer) : merger.intoBody(decodeAnswer);
        } catch (IOException e) {
            fail(failure(Side.DECODE, Kind.BAD_RESPONSE, "unreadable " + (frame ? "event" : "answer")
                    + " for logprob merging: " + TransportErrors.unreadable(e)));
        } catch (CannotHold e) {
            cannotHold(Side.DECODE, e.kind());
        }
        return null;
    }

    private void fail(GenerationFailure failure) {
        synchronized (this) {
            if (over) {
                return;
            }
            end();
            stopLegs();
            observer.onFailure(failure);
        }
    }

    // ---- helpers

    private void stopLegs() {
        prefill.cancel();
        decode.cancel();
    }

    /** Names the side and what went wrong; never a server's URL, which the log adds. */
    private static GenerationFailure failure(Side side, Kind kind, String problem) {
        return new GenerationFailure(side, kind, side.label() + ": " + problem);
    }

    private record WholeAnswer(int status, String contentType, byte[] body) {
    }
}
