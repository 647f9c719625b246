package io.minilb.adapters.out.http;

import io.minilb.application.limits.MemoryBudget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a leg's event stream into frames of at most {@code limit} bytes each, the memory kept for an unfinished frame
 * reserved. Not thread-safe: one leg's IO thread.
 */
final class BoundedFrames {

    private final SseFrameSplitter splitter = new SseFrameSplitter();
    private final int limit;
    private final MemoryBudget.Share memory;
    private long reserved;

    BoundedFrames(int limit, MemoryBudget.Share memory) {
        this.limit = limit;
        this.memory = memory;
    }

    /** The frames {@code chunk} completes, all of it consumed. */
    List<byte[]> split(ByteBuffer chunk) throws CannotHold {
        List<byte[]> frames = new ArrayList<>(2);
        splitter.split(chunk, frames::add);
        if (splitter.pendingSize() > limit || frames.stream().anyMatch(frame -> frame.length > limit)) {
            throw CannotHold.tooLarge();
        }
        long retained = splitter.retainedBytes();
        if (retained > reserved) {
            if (!memory.tryHold(retained - reserved)) {
                throw CannotHold.noBudget();
            }
            reserved = retained;
        }
        return frames;
    }
}
