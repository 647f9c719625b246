package io.minilb.bootstrap;

import io.minilb.application.lifecycle.ServingState;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that a part mini-lb cannot serve without has died — the backend client's IO reactor stops for good when
 * one of its threads dies, after which every request would fail while the process looks alive — and makes that
 * visible: {@code /health} turns 503 and {@code onFatal} runs once (the command line exits non-zero on it, so that a
 * supervisor restarts mini-lb).
 */
final class FatalErrorWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FatalErrorWatch.class);

    private final ServingState state;
    private final Consumer<String> onFatal;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mini-lb-fatal-error-watch");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param backendClientRunning false once the backend client stopped without being asked to
     * @param period how often to look
     */
    FatalErrorWatch(ServingState state, BooleanSupplier backendClientRunning, Duration period, Consumer<String> onFatal) {
        this.state = state;
        this.onFatal = onFatal;
        checker.scheduleWithFixedDelay(() -> {
            if (!backendClientRunning.getAsBoolean()) {
                fatal("the backend HTTP client stopped; no request can reach a server any more");
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Marks mini-lb failed for good; the first reason wins and is reported once. */
    void fatal(String reason) {
        if (state.markFatal(reason)) {
            LOG.error("mini-lb cannot serve any more: {}", reason);
            checker.shutdown();
            onFatal.accept(reason);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
