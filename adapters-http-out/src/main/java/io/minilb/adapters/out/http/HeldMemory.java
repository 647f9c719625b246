package io.minilb.adapters.out.http;

import io.minilb.application.limits.MemoryBudget;

/**
 * The bytes one generation holds, reserved in the global {@link MemoryBudget} as they are taken and all given back
 * exactly once when the generation ends, however it ends. Thread-safe: legs reserve on their IO threads while the
 * end may come from the client's thread or the deadline.
 */
final class HeldMemory {

    private final MemoryBudget budget;
    private long held;
    private boolean ended;

    HeldMemory(MemoryBudget budget) {
        this.budget = budget;
    }

    /** False when the budget is spent or the generation is over: then nothing is reserved and nothing may be held. */
    synchronized boolean tryHold(long bytes) {
        if (ended || !budget.tryReserve(bytes)) {
            return false;
        }
        held += bytes;
        return true;
    }

    /** Gives back part of what was held, once the holder let go of it. */
    synchronized void letGo(long bytes) {
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
    synchronized void end() {
        if (!ended) {
            ended = true;
            budget.release(held);
            held = 0;
        }
    }
}
