package io.minilb.simulator.http;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An output stream that keeps what is written in chunks, ready to be written to a channel one chunk at a time. A
 * body of tens of MB is then held once, never copied into one contiguous array (which a growing array or
 * {@code toByteArray()} would do, at twice the size), and a socket write of one chunk copies at most a chunk into
 * the JDK's temporary direct buffer. Chunks start small and double up to {@link #MAX_CHUNK}, so that a small body
 * (an SSE frame) costs about its size, and a large one wastes at most one chunk.
 */
final class ByteChunks extends OutputStream {
    static final int MAX_CHUNK = 64 * 1024;
    private static final int FIRST_CHUNK = 256;

    private final Deque<ByteBuffer> chunks = new ArrayDeque<>();
    private ByteBuffer current;
    private long size;

    @Override
    public void write(int b) {
        room().put((byte) b);
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            ByteBuffer chunk = room();
            int n = Math.min(length, chunk.remaining());
            chunk.put(bytes, offset, n);
            offset += n;
            length -= n;
            size += n;
        }
    }

    private ByteBuffer room() {
        if (current == null || !current.hasRemaining()) {
            current = ByteBuffer.allocate(current == null ? FIRST_CHUNK : Math.min(2 * current.capacity(), MAX_CHUNK));
            chunks.add(current);
        }
        return current;
    }

    long size() {
        return size;
    }

    /** The chunks, ready for reading; nothing is to be written any more. */
    Deque<ByteBuffer> drain() {
        chunks.forEach(ByteBuffer::flip);
        return chunks;
    }
}
