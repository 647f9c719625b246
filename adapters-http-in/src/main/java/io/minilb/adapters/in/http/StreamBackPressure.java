package io.minilb.adapters.in.http;

import io.minilb.application.generation.GenerationCall;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pauses a generation while its client is more than a buffer behind, and resumes it once the client has taken half
 * of that. The pause is issued by the thread that queues the frame crossing the buffer, at once: a fast decode would
 * queue megabytes in the time a task takes to reach the IO thread. The resume is issued by the IO thread, which
 * writes. Calls alternate strictly (a pause only after the previous resume returned, a resume only after a pause
 * returned), so a late pause can never undo a resume and leave a drained stream paused for good.
 */
final class StreamBackPressure {

    private final long pauseAbove;
    private final AtomicLong unwrittenBytes = new AtomicLong();
    /** From the moment a pause is decided until its resume has returned. */
    private final AtomicBoolean pausing = new AtomicBoolean();
    /** Once the pause has returned, so that the IO thread may resume. */
    private volatile boolean paused;
    private volatile GenerationCall call;

    StreamBackPressure(int bufferBytes) {
        this.pauseAbove = bufferBytes;
    }

    /** Known only once routing returned, possibly after frames were queued. On the IO thread. */
    void attach(GenerationCall generation) {
        call = generation;
        pauseIfBehind();
    }

    /** Any thread, before the frame is handed to the IO thread. */
    void queued(int bytes) {
        unwrittenBytes.addAndGet(bytes);
        pauseIfBehind();
    }

    /** On the IO thread. */
    void written(long bytes) {
        unwrittenBytes.addAndGet(-bytes);
    }

    /** On the IO thread, after each round of writing. */
    void resumeIfCaughtUp() {
        if (paused && unwrittenBytes.get() <= pauseAbove / 2) {
            call.resume();
            paused = false;
            pausing.set(false);
        }
    }

    private void pauseIfBehind() {
        GenerationCall generation = call;
        if (generation != null && unwrittenBytes.get() > pauseAbove && pausing.compareAndSet(false, true)) {
            generation.pause();
            paused = true;
        }
    }
}
