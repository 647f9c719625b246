package io.minilb.adapters.out.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A growable byte array for response bodies and partial SSE frames; not thread-safe. */
final class ByteAccumulator {

    private byte[] bytes;
    private int size;

    ByteAccumulator() {
        this(256);
    }

    ByteAccumulator(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    int capacity() {
        return bytes.length;
    }

    /** Takes all of {@code src}'s remaining bytes. */
    void append(ByteBuffer src) {
        append(src, src.remaining());
    }

    /** Takes {@code length} bytes from {@code src}'s position on, advancing it. */
    void append(ByteBuffer src, int length) {
        ensureCapacity(size + length);
        src.get(bytes, size, length);
        size += length;
    }

    /** Copies the content to {@code target} from offset 0. */
    void copyTo(byte[] target) {
        System.arraycopy(bytes, 0, target, 0, size);
    }

    void clear() {
        size = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
