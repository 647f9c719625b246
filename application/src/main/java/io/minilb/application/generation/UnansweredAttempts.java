package io.minilb.application.generation;

import io.minilb.domain.selection.PairSelection;
import io.minilb.domain.worker.LiveWorker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts that have had nothing from their servers yet, by worker. When a worker turns unhealthy (a server that
 * takes connections and never answers is found by one health check that times out), the attempts waiting on it are
 * abandoned as that server's timeout, so that each request retries on another pair instead of holding its client for
 * the whole request timeout. An attempt that got anything is left alone: its client may already have bytes.
 * Holds only attempts in flight, each for as long as it waits.
 */
public final class UnansweredAttempts {

    private final Map<String, Set<Waiting>> byWorker = new ConcurrentHashMap<>();

    /** Wraps an attempt's observer, before the attempt is sent; {@link Waiting#sent} then gives it its call. */
    Waiting track(PairSelection.Chosen pair, GenerationObserver observer) {
        var waiting = new Waiting(pair, observer);
        setOf(pair.prefill()).add(waiting);
        setOf(pair.decode()).add(waiting);
        return waiting;
    }

    /**
     * Abandons every attempt on {@code worker} that has had nothing from its servers: its legs are cancelled and it
     * fails as a timeout of that worker's side. Returns how many were abandoned.
     */
    public int abandonOn(LiveWorker<?> worker) {
        Set<Waiting> waiting = byWorker.get(worker.id());
        if (waiting == null) {
            return 0;
        }
        int abandoned = 0;
        for (Waiting attempt : List.copyOf(waiting)) {
            if (attempt.abandon(worker)) {
                abandoned++;
            }
        }
        return abandoned;
    }

    private Set<Waiting> setOf(LiveWorker<?> worker) {
        return byWorker.computeIfAbsent(worker.id(), id -> ConcurrentHashMap.newKeySet());
    }

    private void untrack(Waiting attempt) {
        remove(attempt.pair.prefill(), attempt);
        remove(attempt.pair.decode(), attempt);
    }

    private void remove(LiveWorker<?> worker, Waiting attempt) {
        byWorker.computeIfPresent(worker.id(), (id, set) -> {
            set.remove(attempt);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * One attempt until its first event or its abandonment, whichever comes first: the backend calls its observer
     * one event at a time and never after its call's {@code cancel} returned, so once abandoned it hears nothing
     * more, and once it heard something it cannot be abandoned.
     */
    final class Waiting implements GenerationObserver {

        private final PairSelection.Chosen pair;
        private final GenerationObserver delegate;
        // Guarded by this.
        private GenerationCall call;
        private boolean answered;
        private boolean abandoned;

        private Waiting(PairSelection.Chosen pair, GenerationObserver delegate) {
            this.pair = pair;
            this.delegate = delegate;
        }

        /** The attempt's call, once the backend returned it; cancelled at once if abandoned meanwhile. */
        void sent(GenerationCall sent) {
            boolean cancelNow;
            synchronized (this) {
                call = sent;
                cancelNow = abandoned;
            }
            if (cancelNow) {
                sent.cancel();
            }
        }

        /** The attempt ended without an answer: cancelled by its client, or the backend refused to send it. */
        void ended() {
            untrack(this);
        }

        private boolean abandon(LiveWorker<?> unhealthy) {
            GenerationCall sent;
            synchronized (this) {
                if (answered || abandoned) {
                    return false;
                }
                abandoned = true;
                sent = call;
            }
            untrack(this);
            if (sent != null) {
                sent.cancel();
            }
            Side side = unhealthy == pair.prefill() ? Side.PREFILL : Side.DECODE;
            delegate.onFailure(new GenerationFailure(side, GenerationFailure.Kind.TIMEOUT, side.label()
                    + ": no answer, and the server stopped answering its health checks"));
            return true;
        }

        /** True for the first event of an attempt not abandoned, which is passed on; false drops the event. */
        private boolean heard() {
            boolean first;
            synchronized (this) {
                if (abandoned) {
                    return false;
                }
                first = !answered;
                answered = true;
            }
            if (first) {
                untrack(this);
            }
            return true;
        }

        /** Not an answer: both legs were only handed to the HTTP client. */
        @Override
        public void onDispatched() {
            delegate.onDispatched();
        }

        @Override
        public void onResponse(int status, String contentType, byte[] body) {
            if (heard()) {
                delegate.onResponse(status, contentType, body);
            }
        }

        @Override
        public void onStreamStart() {
            if (heard()) {
                delegate.onStreamStart();
            }
        }

        @Override
        public void onFrame(byte[] frame) {
            if (heard()) {
                delegate.onFrame(frame);
            }
        }

        @Override
        public void onStreamEnd() {
            if (heard()) {
                delegate.onStreamEnd();
            }
        }

        @Override
        public void onFailure(GenerationFailure failure) {
            if (heard()) {
                delegate.onFailure(failure);
            }
        }
    }
}
