package io.minilb.simulator.http;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An output stream that keeps what is written in fixed-size chunks, ready to be written to a channel one chunk
 * at a time. A body of tens of MB is then held once, never copied into one contiguous array (which a growing
 * array or {@code toByteArray()} would do, at twice the size), and a socket write of one chunk copies at most a
 * chunk into the JDK's temporary direct buffer.
 */
final class ByteChunks extends OutputStream {
    static final int CHUNK_SIZE = 64 * 1024;

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
            current = ByteBuffer.allocate(CHUNK_SIZE);
            chunks.add(current);
        }
        return current;
    }

    long size() {
        return size;
    }

    /**
     * The chunks, ready for reading; this stream is not to be written any more. The last one is cut to its
     * content, so that a small body (an SSE frame) does not hold a whole chunk while it waits to be written.
     */
    Deque<ByteBuffer> drain() {
        Deque<ByteBuffer> written = new ArrayDeque<>(chunks);
        chunks.clear();
        current = null;
        written.forEach(ByteBuffer::flip);
        ByteBuffer last = written.peekLast();
        if (last != null && last.remaining() < CHUNK_SIZE) {
            written.pollLast();
            written.add(ByteBuffer.allocate(last.remaining()).put(last).flip());
        }
        return written;
    }
}
