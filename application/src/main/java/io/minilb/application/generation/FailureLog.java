package io.minilb.application.generation;

import io.minilb.domain.MonotonicClock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Lets through one line per kind of event and server per interval, and counts the rest, so that a failure storm
 * (thousands of requests a second failing the same way) costs a few log lines, not a full disk. The first line of a
 * new interval says how many were suppressed in the one before. Thread-safe.
 */
final class FailureLog {

    /** Keys are (server, kind), so their number is bounded by the workers times the kinds. */
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();
    private final MonotonicClock clock;
    private final long intervalNanos;

    FailureLog(MonotonicClock clock, Duration interval) {
        this.clock = clock;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Logs through {@code line} unless a line with the same key was logged within the interval; {@code line} gets
     * the number of lines suppressed since the last one that was logged.
     */
    void log(String key, Consumer<Long> line) {
        long suppressed = windows.computeIfAbsent(key, k -> new Window()).admit(clock.nanoTime(), intervalNanos);
        if (suppressed >= 0) {
            line.accept(suppressed);
        }
    }

    /** The tail of a line that was let through after others were suppressed. */
    static String suppressedNote(long suppressed) {
        return suppressed == 0 ? "" : "; " + suppressed + " more like it since the last such line";
    }

    private static final class Window {
        private boolean started;
        private long startNanos;
        private long suppressed;

        /** The count suppressed before this line when it may be logged, or -1 when it is suppressed. */
        synchronized long admit(long now, long intervalNanos) {
            if (started && now - startNanos < intervalNanos) {
                suppressed++;
                return -1;
            }
            started = true;
            startNanos = now;
            long before = suppressed;
            suppressed = 0;
            return before;
        }
    }
}
