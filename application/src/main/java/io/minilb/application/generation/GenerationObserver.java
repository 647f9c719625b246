package io.minilb.application.generation;

/**
 * Receives the outcome of one generation, from whichever thread the backend answers on. Exactly
 * one of these sequences happens: {@code onResponse}; {@code onFailure}; or {@code onStreamStart},
 * any number of {@code onFrame}, then {@code onStreamEnd} or {@code onFailure}. An observer that wraps another
 * passes every event on, the default methods included.
 */
public interface GenerationObserver {

    /**
     * Both legs of an attempt were handed to the HTTP client: from here on the generation waits on servers. Called
     * once per attempt, before any of its other events; only timing depends on it.
     */
    default void onDispatched() {
    }

    /** A whole response: the decode's status and body (logprobs merged when asked for). */
    void onResponse(int status, String contentType, byte[] body);

    /** The decode started an event stream. */
    void onStreamStart();

    /** One complete SSE frame, including its terminating blank line. */
    void onFrame(byte[] frame);

    /** The stream ended normally (after the {@code [DONE]} frame, when the decode sent one). */
    void onStreamEnd();

    /** The request failed; after {@code onStreamStart} this ends the stream. */
    void onFailure(GenerationFailure failure);

    /**
     * An attempt (numbered from 1) was sent to this pair; comes before that attempt's events. For what the client is
     * told about its request (the access log): the last call names the pair that answered.
     */
    default void onRouted(String prefillUrl, String decodeUrl, int attempt) {
    }
}
