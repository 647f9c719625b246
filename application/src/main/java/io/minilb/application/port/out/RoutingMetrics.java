package io.minilb.application.port.out;

import io.minilb.application.generation.GenerationFailure;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRole;

/**
 * What routing learns that only it knows, for whoever watches mini-lb: where each attempt went, how it ended on
 * each worker, which requests were tried again, and which were refused for want of a worker. Called on request
 * paths, so implementations must be cheap and thread-safe.
 */
public interface RoutingMetrics {

    /** Records nothing. */
    RoutingMetrics NONE = new RoutingMetrics() {
        @Override
        public void attemptSent(LiveWorker<?> prefill, LiveWorker<?> decode) {
        }

        @Override
        public void attemptFailed(LiveWorker<?> worker, GenerationFailure.Kind kind) {
        }

        @Override
        public void retried(GenerationFailure.Kind cause) {
        }

        @Override
        public void refused(WorkerRole role) {
        }
    };

    /** An attempt went to this pair. */
    void attemptSent(LiveWorker<?> prefill, LiveWorker<?> decode);

    /** An attempt failed on this worker: an unreachable or hung server, an error status, or an unusable answer. */
    void attemptFailed(LiveWorker<?> worker, GenerationFailure.Kind kind);

    /**
     * An attempt on this pair succeeded (a whole answer below 400, or a complete stream), {@code nanos} after it was
     * sent: the time both workers took together, as the client's answer needed both.
     */
    default void attemptSucceeded(LiveWorker<?> prefill, LiveWorker<?> decode, long nanos) {
    }

    /** A failed attempt is being tried again on another pair. */
    void retried(GenerationFailure.Kind cause);

    /** An attempt was refused at once: no worker of this role was available. */
    void refused(WorkerRole role);
}
