package io.minilb.adapters.in.http;

import java.util.Locale;
import java.util.Optional;

/** Why mini-lb itself turned a request or a connection away, as opposed to a server's answer. */
public enum Rejection {
    /** 503: the memory budget is spent. */
    OVERLOADED,
    /** 503: no worker of one side is available. */
    NO_AVAILABLE_WORKER,
    /** 413: the body is larger than {@code --max-payload-size}. */
    PAYLOAD_TOO_LARGE,
    /** 408: the body did not arrive within the request read timeout. */
    REQUEST_TIMEOUT,
    /** 400: not a request mini-lb can route. */
    INVALID_REQUEST,
    /** 502: an answer that must be held whole is larger than {@code --max-response-bytes}. */
    RESPONSE_TOO_LARGE,
    /** 429: the admission queue is full, or the rate limit is reached. */
    QUEUE_FULL,
    /** 408: the request waited in the admission queue past {@code --queue-timeout-secs}. */
    QUEUE_TIMEOUT,
    /** 401: no key, or not a key mini-lb knows. */
    UNAUTHENTICATED,
    /** 403: the client key on an admin route. */
    FORBIDDEN,
    /** A connection closed at once: the connection cap is reached. */
    CONNECTION_CAP;

    /** The metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The rejection an error answer stands for, if it is one. */
    static Optional<Rejection> of(int status, String errorType) {
        if (errorType == null) {
            return Optional.empty();
        }
        if (status == 413) {
            return Optional.of(PAYLOAD_TOO_LARGE);
        }
        return switch (errorType) {
            case ErrorBody.OVERLOADED -> Optional.of(OVERLOADED);
            case ErrorBody.REQUEST_TIMEOUT -> Optional.of(REQUEST_TIMEOUT);
            case ErrorBody.INVALID_REQUEST -> Optional.of(INVALID_REQUEST);
            case "no_available_worker" -> Optional.of(NO_AVAILABLE_WORKER);
            case "response_too_large" -> Optional.of(RESPONSE_TOO_LARGE);
            case "rate_limited" -> Optional.of(QUEUE_FULL);
            case "queue_timeout" -> Optional.of(QUEUE_TIMEOUT);
            case AccessGuard.AUTHENTICATION_ERROR -> Optional.of(UNAUTHENTICATED);
            case AccessGuard.PERMISSION_ERROR -> Optional.of(FORBIDDEN);
            default -> Optional.empty();
        };
    }
}
