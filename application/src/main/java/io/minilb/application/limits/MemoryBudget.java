package io.minilb.application.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes mini-lb may hold for all requests together: request bodies and the answers it must keep whole. Every
 * holder reserves before it holds and releases when it lets go, so the heap is bounded by configuration, not by what
 * clients or servers send. Thread-safe and lock-free.
 */
public final class MemoryBudget {

    private final long limitBytes;
    private final AtomicLong heldBytes = new AtomicLong();

    public MemoryBudget(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("a memory budget must be at least 1 byte, got " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /** Reserves {@code bytes} if they fit; false (and nothing reserved) when they do not. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve a negative amount: " + bytes);
        }
        while (true) {
            long held = heldBytes.get();
            if (held + bytes > limitBytes) {
                return false;
            }
            if (heldBytes.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    /** Gives back bytes reserved before. */
    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot release a negative amount: " + bytes);
        }
        long after = heldBytes.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("released " + bytes + " bytes more than were reserved");
        }
    }

    /** A new share of this budget, for one holder (a request body, a generation's answers). */
    public Share newShare() {
        return new Share(this);
    }

    public long heldBytes() {
        return heldBytes.get();
    }

    public long limitBytes() {
        return limitBytes;
    }

    /**
     * The bytes one holder holds, reserved in the budget as they are taken and all given back exactly once when the
     * holder ends, however it ends. Thread-safe: a generation reserves on its IO threads while its end may come from
     * the client's thread or the deadline.
     */
    public static final class Share {

        private final MemoryBudget budget;
        private long held;
        private boolean ended;

        private Share(MemoryBudget budget) {
            this.budget = budget;
        }

        /** False when the budget is spent or the share has ended: then nothing is reserved and nothing may be held. */
        public synchronized boolean tryHold(long bytes) {
            if (ended || !budget.tryReserve(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        /** Gives back part of what was held, once the holder let go of it. */
        public synchronized void letGo(long bytes) {
            if (ended) {
                return;
            }
            if (bytes > held) {
                throw new IllegalStateException("letting go of " + bytes + " bytes, but only " + held + " are held");
            }
            held -= bytes;
            budget.release(bytes);
        }

        /** Gives everything back; later reservations fail. Idempotent. */
        public synchronized void end() {
            if (!ended) {
                ended = true;
                budget.release(held);
                held = 0;
            }
        }
    }
}
