package io.minilb.application.generation;

import io.minilb.application.port.out.InferenceBackend;
import io.minilb.domain.BackendPair;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.retry.RetrySettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Records each generation it is given (the last one in the single fields) and what the caller does with it. */
final class RecordingBackend implements InferenceBackend {

    static final Retries NO_RETRIES = new Retries(
            new RetrySettings(false, 1, Duration.ZERO, Duration.ZERO, 1.0, 0.0), () -> 0L,
            (delay, task) -> {
                throw new AssertionError("no retry expected");
            });

    record Sent(BackendPair pair, BootstrapAssignment assignment, byte[] body, Duration timeout,
            GenerationObserver observer) {
    }

    final AtomicReference<BackendPair> pair = new AtomicReference<>();
    final AtomicReference<BootstrapAssignment> assignment = new AtomicReference<>();
    final AtomicReference<GenerationObserver> observer = new AtomicReference<>();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final AtomicLong cancellations = new AtomicLong();
    final AtomicLong pauses = new AtomicLong();
    final AtomicLong resumes = new AtomicLong();

    @Override
    public GenerationCall generate(BackendPair pair, BootstrapAssignment assignment, GenerationRequest request,
            Duration timeout, GenerationObserver observer) {
        this.pair.set(pair);
        this.assignment.set(assignment);
        this.observer.set(observer);
        sent.add(new Sent(pair, assignment, request.payload().renderWith(assignment), timeout, observer));
        return new GenerationCall() {
            @Override
            public void cancel() {
                cancellations.incrementAndGet();
            }

            @Override
            public void pause() {
                pauses.incrementAndGet();
            }

            @Override
            public void resume() {
                resumes.incrementAndGet();
            }
        };
    }
}
