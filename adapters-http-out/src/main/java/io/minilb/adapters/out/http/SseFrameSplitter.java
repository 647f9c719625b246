package io.minilb.adapters.out.http;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Cuts an event stream into frames as its bytes arrive, however the network chunked them. A frame
 * ends at a blank line ({@code \n\n}, {@code \r\n\r\n} or a mix); it is handed on with that blank
 * line. Blank lines between frames are skipped, and bytes after the last blank line are never
 * handed on: an SSE client discards an unterminated event too. One splitter per stream; not
 * thread-safe.
 */
final class SseFrameSplitter {

    /** Bytes of the frame in progress that came in earlier chunks. */
    private final ByteAccumulator pending = new ByteAccumulator();
    private int lineLength;
    private boolean lineIsCarriageReturn;
    private boolean frameHasContent;

    /** The bytes of the unfinished frame. */
    int pendingSize() {
        return pending.size();
    }

    /** The memory kept for unfinished frames: the largest one so far. */
    int retainedBytes() {
        return pending.capacity();
    }

    /** Consumes all of {@code chunk}, passing each frame it completes to {@code frames}. */
    void split(ByteBuffer chunk, Consumer<byte[]> frames) {
        int frameStart = chunk.position();
        for (int i = frameStart, end = chunk.limit(); i < end; i++) {
            byte b = chunk.get(i);
            if (b != '\n') {
                lineIsCarriageReturn = lineLength == 0 && b == '\r';
                lineLength++;
                frameHasContent |= b != '\r';
                continue;
            }
            boolean blankLine = lineLength == 0 || lineIsCarriageReturn;
            lineLength = 0;
            lineIsCarriageReturn = false;
            if (blankLine) {
                if (frameHasContent) {
                    frames.accept(frame(chunk, frameStart, i + 1));
                }
                pending.clear();
                frameHasContent = false;
                frameStart = i + 1;
            }
        }
        chunk.position(frameStart);
        pending.append(chunk);
    }

    private byte[] frame(ByteBuffer chunk, int from, int to) {
        byte[] frame = new byte[pending.size() + to - from];
        pending.copyTo(frame);
        chunk.get(from, frame, pending.size(), to - from);
        return frame;
    }
}
