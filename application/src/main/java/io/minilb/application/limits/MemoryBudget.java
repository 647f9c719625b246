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

    public long heldBytes() {
        return heldBytes.get();
    }

    public long limitBytes() {
        return limitBytes;
    }
}
