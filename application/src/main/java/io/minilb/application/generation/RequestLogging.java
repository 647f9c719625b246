package io.minilb.application.generation;

import org.slf4j.MDC;

/**
 * Puts a request's id in the logging context (SLF4J's MDC, key {@value #REQUEST_ID_KEY}) while code about that request
 * runs. A request moves between IO, backend and timer threads, so the id is set where each piece of work starts and
 * taken off when it ends, restoring whatever was there before (calls nest).
 */
public final class RequestLogging {

    public static final String REQUEST_ID_KEY = "request_id";

    private RequestLogging() {
    }

    /** Work about one request; it may throw what the caller's code throws. */
    @FunctionalInterface
    public interface Work<E extends Exception> {
        void run() throws E;
    }

    public static <E extends Exception> void run(RequestContext context, Work<E> work) throws E {
        if (!context.hasRequestId()) {
            work.run();
            return;
        }
        String previous = MDC.get(REQUEST_ID_KEY);
        MDC.put(REQUEST_ID_KEY, context.requestId());
        try {
            work.run();
        } finally {
            if (previous == null) {
                MDC.remove(REQUEST_ID_KEY);
            } else {
                MDC.put(REQUEST_ID_KEY, previous);
            }
        }
    }

    /** An observer whose every event runs with the request's id in the logging context. */
    public static GenerationObserver observer(RequestContext context, GenerationObserver delegate) {
        if (!context.hasRequestId()) {
            return delegate;
        }
        return new GenerationObserver() {
            @Override
            public void onResponse(int status, String contentType, byte[] body) {
                run(context, () -> delegate.onResponse(status, contentType, body));
            }

            @Override
            public void onStreamStart() {
                run(context, delegate::onStreamStart);
            }

            @Override
            public void onFrame(byte[] frame) {
                run(context, () -> delegate.onFrame(frame));
            }

            @Override
            public void onStreamEnd() {
                run(context, delegate::onStreamEnd);
            }

            @Override
            public void onFailure(GenerationFailure failure) {
                run(context, () -> delegate.onFailure(failure));
            }

            @Override
            public void onRouted(String prefillUrl, String decodeUrl, int attempt) {
                run(context, () -> delegate.onRouted(prefillUrl, decodeUrl, attempt));
            }

            @Override
            public void onDispatched() {
                run(context, delegate::onDispatched);
            }
        };
    }
}
