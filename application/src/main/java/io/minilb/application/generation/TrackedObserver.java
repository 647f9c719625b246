package io.minilb.application.generation;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.domain.BackendPair;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passes events through, logs each failed request once, and counts the request out when it ends. */
final class TrackedObserver implements GenerationObserver {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGeneration.class);

    private final GenerationObserver delegate;
    private final Endpoint endpoint;
    private final BackendPair pair;
    private final ServingState inFlight;
    private final AtomicBoolean finished = new AtomicBoolean();

    TrackedObserver(GenerationObserver delegate, Endpoint endpoint, BackendPair pair, ServingState inFlight) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.pair = pair;
        this.inFlight = inFlight;
    }

    @Override
    public void onResponse(int status, String contentType, byte[] body) {
        if (status >= 400) {
            LOG.warn("{} failed on decode {}: it answered HTTP {}", endpoint.path(), pair.decode().url(), status);
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
        LOG.warn("{} failed on {} {}: {}", endpoint.path(), failure.side().label(), url, failure.message());
        try {
            delegate.onFailure(failure);
        } finally {
            finish();
        }
    }

    void cancelled() {
        if (finish()) {
            LOG.info("{} cancelled by the client (prefill {}, decode {})",
                    endpoint.path(), pair.prefill().url(), pair.decode().url());
        }
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
