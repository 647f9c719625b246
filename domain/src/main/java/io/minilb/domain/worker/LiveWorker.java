package io.minilb.domain.worker;

import io.minilb.domain.Worker;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A registered worker and what is known of it now: its health, its circuit, its requests in flight, and whether it
 * is draining (removed: no new requests, those in flight finish). Thread-safe.
 */
public final class LiveWorker<W extends Worker> implements WorkerLoad {

    /** Set in {@link #inFlightAndDraining} once draining; the bits below count the requests in flight. */
    private static final int DRAINING = 1 << 30;
    private static final long NEVER = Long.MIN_VALUE;
    /** {@link #heardFrom} moves its time on only this much later: many threads call it, once per frame. */
    private static final long HEARD_RESOLUTION_NANOS = 1_000_000;

    private final W worker;
    private final String id;
    private final WorkerOrigin origin;
    private final WorkerHealth health;
    private final CircuitBreaker circuit;
    private final AtomicInteger inFlightAndDraining = new AtomicInteger();
    /** {@link #heardFrom}'s last time, or {@link #NEVER}. */
    private volatile long lastHeardNanos = NEVER;
    /** Runs once, when the worker is draining and its last request has ended. */
    private final Consumer<LiveWorker<?>> onDrained;

    LiveWorker(W worker, WorkerOrigin origin, WorkerHealth health, CircuitBreaker circuit,
            Consumer<LiveWorker<?>> onDrained) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.id = idOf(worker);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.health = Objects.requireNonNull(health, "health");
        this.circuit = Objects.requireNonNull(circuit, "circuit");
        this.onDrained = Objects.requireNonNull(onDrained, "onDrained");
    }

    /**
     * A URL-safe id that stays the same for the same URL across restarts and registrations, in the UUID form
     * SGLang's router gives its worker ids.
     */
    public static String idOf(Worker worker) {
        return UUID.nameUUIDFromBytes(worker.url().getBytes(StandardCharsets.UTF_8)).toString();
    }

    public W worker() {
        return worker;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String url() {
        return worker.url();
    }

    public WorkerRole role() {
        return worker.role();
    }

    public WorkerOrigin origin() {
        return origin;
    }

    public WorkerHealth health() {
        return health;
    }

    public CircuitBreaker circuit() {
        return circuit;
    }

    @Override
    public int inFlight() {
        return inFlightAndDraining.get() & ~DRAINING;
    }

    public boolean isDraining() {
        return (inFlightAndDraining.get() & DRAINING) != 0;
    }

    /**
     * Something arrived from this worker for one of its requests at {@code nanos} (of the clock mini-lb runs on): it
     * is answering, whatever a late health check says.
     */
    public void heardFrom(long nanos) {
        long last = lastHeardNanos;
        if (last == NEVER || nanos - last > HEARD_RESOLUTION_NANOS) {
            lastHeardNanos = nanos;
        }
    }

    /** Whether anything arrived from it for a request at or after {@code nanos}, within a millisecond. */
    public boolean heardFromSince(long nanos) {
        long last = lastHeardNanos;
        return last != NEVER && last - nanos >= -HEARD_RESOLUTION_NANOS;
    }

    /** Why the worker gets no new requests, or empty when it may get them. */
    public Optional<Unavailability> unavailability() {
        if (isDraining()) {
            return Optional.of(Unavailability.DRAINING);
        }
        if (!health.isHealthy()) {
            return Optional.of(Unavailability.UNHEALTHY);
        }
        if (!circuit.allowsRequests(inFlight())) {
            return Optional.of(circuit.state() == CircuitState.HALF_OPEN
                    ? Unavailability.TRIALS_IN_FLIGHT
                    : Unavailability.CIRCUIT_OPEN);
        }
        return Optional.empty();
    }

    /** Healthy, circuit not open (half-open admits a few trials), not draining. */
    public boolean isAvailable() {
        return unavailability().isEmpty();
    }

    /**
     * Counts a request in, unless the worker is draining: after {@link #startDraining} returns, no request starts
     * here any more.
     */
    public boolean tryStart() {
        while (true) {
            int current = inFlightAndDraining.get();
            if ((current & DRAINING) != 0) {
                return false;
            }
            if (inFlightAndDraining.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Counts a request out; call once for each successful {@link #tryStart}. */
    public void finish() {
        while (true) {
            int current = inFlightAndDraining.get();
            if ((current & ~DRAINING) == 0) {
                throw new IllegalStateException("more requests finished on " + this + " than started");
            }
            if (inFlightAndDraining.compareAndSet(current, current - 1)) {
                if (current - 1 == DRAINING) {
                    onDrained.accept(this);
                }
                return;
            }
        }
    }

    /** Stops new requests; true for the call that did. {@code onDrained} runs once the last one in flight ends. */
    boolean startDraining() {
        int before = inFlightAndDraining.getAndUpdate(current -> current | DRAINING);
        if ((before & DRAINING) != 0) {
            return false;
        }
        if (before == 0) {
            onDrained.accept(this);
        }
        return true;
    }

    @Override
    public String toString() {
        return worker.role().label() + " " + url();
    }
}
