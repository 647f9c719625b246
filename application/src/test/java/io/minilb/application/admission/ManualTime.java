package io.minilb.application.admission;

import io.minilb.application.port.out.DelayScheduler;
import io.minilb.domain.MonotonicClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock and a scheduler that move only when the test advances them. */
final class ManualTime implements MonotonicClock, DelayScheduler {

    private long now;
    private final List<Timer> timers = new ArrayList<>();

    private final class Timer implements Scheduled {
        final long due;
        final Runnable task;

        Timer(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        @Override
        public void cancel() {
            timers.remove(this);
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        var timer = new Timer(now + delay.toNanos(), task);
        timers.add(timer);
        return timer;
    }

    /** Moves the clock, running each timer that falls due on the way, in order. */
    void advance(Duration by) {
        long until = now + by.toNanos();
        while (true) {
            Timer next = timers.stream().filter(timer -> timer.due <= until)
                    .min(Comparator.comparingLong(timer -> timer.due)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = Math.max(now, next.due);
            next.task.run();
        }
        now = until;
    }

    int pendingTimers() {
        return timers.size();
    }
}
