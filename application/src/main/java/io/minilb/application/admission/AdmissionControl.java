package io.minilb.application.admission;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Side;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.application.port.out.DelayScheduler;
import io.minilb.domain.MonotonicClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control in front of routing: at most {@code maxConcurrentRequests} generations in flight, admitted at
 * most at the bucket's rate. A request past either limit waits in a bounded first-come-first-served queue; with the
 * queue full it is refused at once (429), and one that waits past the queue timeout is refused then (408). A waiting
 * request holds no thread nor timer of its own: it is a queue entry, and the next one starts on the thread that freed a slot
 * or on the refill timer's. A client that goes away while waiting leaves the queue at once.
 *
 * <p>Each admitted request holds one slot until its outcome arrives or it is cancelled, whichever comes first; the
 * slot is given back exactly once.
 */
public final class AdmissionControl implements RouteGenerationUseCase, AdmissionStats {

    private final RouteGenerationUseCase next;
    private final AdmissionSettings settings;
    private final DelayScheduler scheduler;
    private final MonotonicClock clock;
    /** Null without a rate limit. */
    private final TokenBucket bucket;
    private final Map<RejectionReason, AtomicLong> rejected = new EnumMap<>(RejectionReason.class);

    // Guarded by this.
    private final Set<Admission> queue = new LinkedHashSet<>();
    private int active;
    private boolean draining;
    private DelayScheduler.Scheduled refillTimer;
    /**
     * One timer for the whole queue, due when its oldest request expires: the queue is in arrival order and every
     * request waits the same timeout, so no other can expire first. A request that leaves the queue cancels nothing,
     * and however many come and go, at most one expiry timer is pending.
     */
    private DelayScheduler.Scheduled expiryTimer;

    public AdmissionControl(RouteGenerationUseCase next, AdmissionSettings settings, MonotonicClock clock,
            DelayScheduler scheduler) {
        this.next = Objects.requireNonNull(next, "next");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        int rate = settings.rateLimitTokensPerSecond();
        this.bucket = settings.limitsRate() ? new TokenBucket(rate, rate, clock) : null;
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, new AtomicLong());
        }
    }

    @Override
    public GenerationCall route(GenerationRequest request, GenerationObserver observer) {
        var admission = new Admission(request, observer);
        boolean admitted = false;
        boolean refused = false;
        synchronized (this) {
            if (queue.isEmpty() && hasRoom() && takeToken()) {
                admission.admit();
                admitted = true;
            } else if (queue.size() < settings.queueSize()) {
                admission.expiresAt = clock.nanoTime() + settings.queueTimeout().toNanos();
                queue.add(admission);
                armExpiry();
            } else {
                refused = true;
            }
        }
        if (refused) {
            rejected.get(RejectionReason.QUEUE_FULL).incrementAndGet();
            observer.onFailure(new GenerationFailure(Side.NONE, GenerationFailure.Kind.QUEUE_FULL, queueFullMessage()));
        } else if (admitted) {
            admission.start();
        } else {
            drain();
        }
        return admission;
    }

    @Override
    public synchronized int queued() {
        return queue.size();
    }

    @Override
    public synchronized int active() {
        return active;
    }

    @Override
    public long rejected(RejectionReason reason) {
        return rejected.get(reason).get();
    }

    private boolean hasRoom() {
        return !settings.limitsConcurrency() || active < settings.maxConcurrentRequests();
    }

    /** Takes a token only when there is room, so a request that cannot start does not spend one. */
    private boolean takeToken() {
        return bucket == null || bucket.tryTake();
    }

    /**
     * Starts queued requests while there is room, one thread at a time: a thread that finds another draining leaves
     * the work to it, which looks again after each start, so the stack does not grow with the queue.
     */
    private void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            Admission head;
            synchronized (this) {
                head = admitHead();
                if (head == null) {
                    draining = false;
                    return;
                }
            }
            startQueued(head);
        }
    }

    /** On the thread that freed the slot: a failure to route is the request's, not that thread's. */
    private static void startQueued(Admission head) {
        try {
            head.start();
        } catch (RuntimeException e) {
            head.observer.onFailure(new GenerationFailure(Side.NONE, GenerationFailure.Kind.OVERLOADED,
                    "mini-lb could not route the request: " + e));
        }
    }

    private Admission admitHead() {
        if (queue.isEmpty() || !hasRoom()) {
            return null;
        }
        if (!takeToken()) {
            wakeWhenRefilled();
            return null;
        }
        Iterator<Admission> oldest = queue.iterator();
        Admission head = oldest.next();
        oldest.remove();
        head.admit();
        return head;
    }

    /** With room but no token, nothing else would start the queue's head: a timer does, when a token is due. */
    private void wakeWhenRefilled() {
        if (refillTimer == null) {
            refillTimer = scheduler.schedule(Duration.ofNanos(bucket.nanosUntilToken()), () -> {
                synchronized (this) {
                    refillTimer = null;
                }
                drain();
            });
        }
    }

    private void armExpiry() {
        if (expiryTimer == null && !queue.isEmpty()) {
            long wait = Math.max(0, queue.iterator().next().expiresAt - clock.nanoTime());
            expiryTimer = scheduler.schedule(Duration.ofNanos(wait), this::expire);
        }
    }

    /** Refuses every request that has waited its whole timeout, oldest first, and re-arms for the next. */
    private void expire() {
        List<Admission> expired = new ArrayList<>();
        synchronized (this) {
            expiryTimer = null;
            long now = clock.nanoTime();
            for (Iterator<Admission> oldest = queue.iterator(); oldest.hasNext(); ) {
                Admission waiting = oldest.next();
                if (waiting.expiresAt - now > 0) {
                    break;
                }
                oldest.remove();
                expired.add(waiting);
            }
            armExpiry();
        }
        for (Admission admission : expired) {
            rejected.get(RejectionReason.QUEUE_TIMEOUT).incrementAndGet();
            admission.observer.onFailure(new GenerationFailure(Side.NONE, GenerationFailure.Kind.QUEUE_TIMEOUT,
                    "waited " + settings.queueTimeout().toSeconds() + " s in mini-lb's queue (--queue-timeout-secs) "
                            + "without being admitted; retry later"));
        }
    }

    private void release() {
        synchronized (this) {
            active--;
        }
        drain();
    }

    private String queueFullMessage() {
        return settings.queueSize() == 0
                ? "mini-lb is at its limit (--max-concurrent-requests, --rate-limit-tokens-per-second) and queues "
                        + "no request (--queue-size 0); retry later"
                : "mini-lb is at its limit and its queue is full (" + settings.queueSize()
                        + " waiting, --queue-size); retry later";
    }

    /** One request, from arrival to its end: queued, then admitted and routed, or refused, or cancelled. */
    private final class Admission implements GenerationCall {

        private final GenerationRequest request;
        private final GenerationObserver observer;
        private final AtomicBoolean holdsSlot = new AtomicBoolean();
        /** When it has waited the queue timeout; set under the control's lock before it joins the queue. */
        private long expiresAt;
        // Guarded by this Admission.
        private GenerationCall call;
        private boolean cancelled;
        private boolean paused;

        Admission(GenerationRequest request, GenerationObserver observer) {
            this.request = request;
            this.observer = observer;
        }

        /** Under the control's lock. */
        void admit() {
            active++;
            holdsSlot.set(true);
        }

        void start() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
            }
            GenerationCall started;
            try {
                started = next.route(request, new SlotReleasingObserver(observer, this::giveBackSlot));
            } catch (RuntimeException e) {
                giveBackSlot();
                throw e;
            }
            boolean cancelNow;
            boolean pauseNow;
            synchronized (this) {
                call = started;
                cancelNow = cancelled;
                pauseNow = paused;
            }
            if (cancelNow) {
                started.cancel();
            } else if (pauseNow) {
                started.pause();
            }
        }

        void giveBackSlot() {
            if (holdsSlot.compareAndSet(true, false)) {
                release();
            }
        }

        @Override
        public void cancel() {
            boolean wasQueued;
            synchronized (AdmissionControl.this) {
                wasQueued = queue.remove(this);
            }
            if (wasQueued) {
                return;
            }
            GenerationCall started;
            synchronized (this) {
                cancelled = true;
                started = call;
            }
            if (started != null) {
                started.cancel();
            }
            // A cancelled call may never report an outcome: its slot is free now.
            giveBackSlot();
        }

        @Override
        public void pause() {
            GenerationCall started;
            synchronized (this) {
                paused = true;
                started = call;
            }
            if (started != null) {
                started.pause();
            }
        }

        @Override
        public void resume() {
            GenerationCall started;
            synchronized (this) {
                paused = false;
                started = call;
            }
            if (started != null) {
                started.resume();
            }
        }
    }
}
