package io.minilb.application.generation;

/**
 * Which outcomes of an attempt that sent the client nothing yet are worth another attempt on another pair: those
 * that say a server is down, overloaded or late. Never a client error, which another server would reject the same
 * way, nor what mini-lb itself could not read or hold, which would fail the same way again.
 */
final class RetryRule {

    private RetryRule() {
    }

    static boolean retries(GenerationFailure failure) {
        return switch (failure.kind()) {
            case UNREACHABLE, TIMEOUT, UPSTREAM_ERROR -> true;
            case BAD_RESPONSE, RESPONSE_TOO_LARGE, OVERLOADED, NO_AVAILABLE_WORKER, QUEUE_FULL, QUEUE_TIMEOUT -> false;
        };
    }

    /**
     * A server's answer, as SGLang's router decides: 408 and 429 (the server, not the request, is the problem) and
     * 500, 502, 503, 504.
     */
    static boolean retries(int status) {
        return switch (status) {
            case 408, 429, 500, 502, 503, 504 -> true;
            default -> false;
        };
    }
}
