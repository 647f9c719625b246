package io.minilb.application.generation;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.domain.BackendPair;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes events through, logs failed requests (at most one line per server and kind of failure per interval, see
 * {@link FailureLog}), and counts the request out when it ends.
 */
final class TrackedObserver implements GenerationObserver {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGeneration.class);

    private final GenerationObserver delegate;
    private final Endpoint endpoint;
    private final BackendPair pair;
    private final ServingState inFlight;
    private final FailureLog failureLog;
    private final AtomicBoolean finished = new AtomicBoolean();

    TrackedObserver(
            GenerationObserver delegate, Endpoint endpoint, BackendPair pair, ServingState inFlight, FailureLog failureLog) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.pair = pair;
        this.inFlight = inFlight;
        this.failureLog = failureLog;
    }

    @Override
    public void onResponse(int status, String contentType, byte[] body) {
        // A 4xx is the client's own error, passed on from whichever leg rejected the request first: not a failure.
        if (status >= 500) {
            String url = pair.decode().url();
            failureLog.log(url + " HTTP " + status, suppressed -> LOG.warn("{} failed: decode answered HTTP {} (server {}){}",
                    endpoint.path(), status, url, suppressedNote(suppressed)));
        }
        try {
            delegate.onResponse(status, contentType, body);
        } finally {
            finish();
        }
    }

    @Override
    public void onStreamStart() {
        delegate.onStreamStart();
    }

    @Override
    public void onFrame(byte[] frame) {
        delegate.onFrame(frame);
    }

    @Override
    public void onStreamEnd() {
        try {
            delegate.onStreamEnd();
        } finally {
            finish();
        }
    }

    @Override
    public void onFailure(GenerationFailure failure) {
        String url = failure.side() == Side.PREFILL ? pair.prefill().url() : pair.decode().url();
        failureLog.log(url + " " + failure.kind(), suppressed -> LOG.warn("{} failed: {} (server {}){}",
                endpoint.path(), failure.message(), url, suppressedNote(suppressed)));
        try {
            delegate.onFailure(failure);
        } finally {
            finish();
        }
    }

    void cancelled() {
        if (finish()) {
            failureLog.log(pair.decode().url() + " cancelled", suppressed -> LOG.info(
                    "{} cancelled by the client (prefill {}, decode {}){}",
                    endpoint.path(), pair.prefill().url(), pair.decode().url(), suppressedNote(suppressed)));
        }
    }

    private static String suppressedNote(long suppressed) {
        return suppressed == 0 ? "" : "; " + suppressed + " more like it since the last such line";
    }

    /** Counts the request out exactly once; true for the call that did. */
    boolean finish() {
        if (finished.compareAndSet(false, true)) {
            inFlight.requestFinished();
            return true;
        }
        return false;
    }
}
