package io.minilb.application.generation;

import java.util.Objects;

/**
 * Why a generation could not be answered with the decode's own response.
 *
 * @param side the leg that failed
 * @param kind what went wrong
 * @param message a sentence for the client: the side and what went wrong, never an internal URL (the log names
 *     the server)
 */
public record GenerationFailure(Side side, Kind kind, String message) {

    public enum Kind {
        /** Connection refused, reset, or closed before a full response. */
        UNREACHABLE("backend_unreachable", 502, true),
        /** No complete answer within the request timeout. */
        TIMEOUT("backend_timeout", 504, true),
        /** The prefill answered with a status that is neither a success nor a client error (4xx, passed on as is). */
        UPSTREAM_ERROR("backend_error", 502, true),
        /** A response that could not be read as the protocol says. */
        BAD_RESPONSE("bad_backend_response", 502, false),
        /** An answer that must be held whole (to merge logprobs) is larger than {@code --max-response-bytes}. */
        RESPONSE_TOO_LARGE("response_too_large", 502, false),
        /** mini-lb's memory budget is spent: the request is refused rather than risk the heap. */
        OVERLOADED("overloaded", 503, false),
        /** Every worker of one side is unhealthy, has its circuit open, or is draining: nothing was sent. */
        NO_AVAILABLE_WORKER("no_available_worker", 503, false),
        /** Past the admission limits and no room in the queue (or no queue): refused before choosing a pair. */
        QUEUE_FULL("rate_limited", 429, false),
        /** Waited in the admission queue longer than its timeout: refused before choosing a pair. */
        QUEUE_TIMEOUT("queue_timeout", 408, false);

        private final String type;
        private final int httpStatus;
        private final boolean workersFault;

        Kind(String type, int httpStatus, boolean workersFault) {
            this.type = type;
            this.httpStatus = httpStatus;
            this.workersFault = workersFault;
        }

        public String type() {
            return type;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /**
         * Whether it counts against the failed side's worker (its circuit breaker): the server is down, hung or
         * broken. A response mini-lb could not read or hold, or its own overload, says nothing of the server.
         */
        public boolean isWorkersFault() {
            return workersFault;
        }
    }

    public GenerationFailure {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
