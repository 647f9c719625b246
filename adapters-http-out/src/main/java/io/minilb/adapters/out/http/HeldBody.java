package io.minilb.adapters.out.http;

import io.minilb.application.limits.MemoryBudget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A response body held whole, at most {@code limit} bytes, the memory of each segment reserved before it is
 * allocated. The first segment is the size of the first chunk (most answers arrive in one read, and are then held
 * in exactly their size and handed on without a copy); later segments double from 4 KiB to 64 KiB and are never
 * copied while the body grows, so it holds little more than its size until {@link #take} copies them into one array
 * (the only moment it costs twice its size). Not thread-safe: one leg's IO thread.
 */
final class HeldBody {

    private static final int GROWN_SEGMENT_BYTES = 4 * 1024;
    private static final int MAX_SEGMENT_BYTES = 64 * 1024;

    private final int limit;
    private final MemoryBudget.Share memory;
    private final List<byte[]> fullSegments = new ArrayList<>();
    private byte[] segment;
    private int segmentFill;
    private int size;
    private long reserved;

    HeldBody(int limit, MemoryBudget.Share memory) {
        this.limit = limit;
        this.memory = memory;
    }

    /** How many more bytes it may take. */
    int room() {
        return limit - size;
    }

    /** Takes all of {@code chunk}; when that would pass the limit, nothing; when the budget is spent, part of it. */
    void append(ByteBuffer chunk) throws CannotHold {
        if (chunk.remaining() > room()) {
            throw CannotHold.tooLarge();
        }
        while (chunk.hasRemaining()) {
            if (segment == null || segmentFill == segment.length) {
                addSegment(chunk.remaining());
            }
            int length = Math.min(chunk.remaining(), segment.length - segmentFill);
            chunk.get(segment, segmentFill, length);
            segmentFill += length;
            size += length;
        }
    }

    /** The body in one array, whose size stays reserved until the generation ends; the segments are let go. */
    byte[] take() throws CannotHold {
        if (fullSegments.isEmpty() && segment != null && segmentFill == segment.length) {
            return takeSegment(); // already one exact array, reserved
        }
        if (!memory.tryHold(size)) {
            throw CannotHold.noBudget();
        }
        byte[] body = new byte[size];
        int copied = 0;
        for (byte[] full : fullSegments) {
            System.arraycopy(full, 0, body, copied, full.length);
            copied += full.length;
        }
        if (segment != null) {
            System.arraycopy(segment, 0, body, copied, segmentFill);
        }
        memory.letGo(reserved);
        fullSegments.clear();
        segment = null;
        reserved = 0;
        return body;
    }

    /** The single segment, whose reservation becomes the body's. */
    private byte[] takeSegment() {
        byte[] body = segment;
        segment = null;
        reserved = 0;
        return body;
    }

    private void addSegment(int wanted) throws CannotHold {
        int length = segment == null
                ? Math.min(wanted, MAX_SEGMENT_BYTES)
                : Math.min(Math.max(segment.length * 2, GROWN_SEGMENT_BYTES), MAX_SEGMENT_BYTES);
        if (!memory.tryHold(length)) {
            throw CannotHold.noBudget();
        }
        reserved += length;
        if (segment != null) {
            fullSegments.add(segment);
        }
        segment = new byte[length];
        segmentFill = 0;
    }
}
