package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.port.in.RouteGenerationUseCase;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A use case that records each generation; the test answers it through its observer, from the test thread. */
final class FakeGenerations implements RouteGenerationUseCase {

    /** One routed generation: what the adapter asked for and how to answer it. */
    static final class Generation implements GenerationCall {
        final GenerationRequest request;
        final GenerationObserver observer;
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private volatile boolean paused;

        private Generation(GenerationRequest request, GenerationObserver observer) {
            this.request = request;
            this.observer = observer;
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        boolean isPaused() {
            return paused;
        }

        boolean isCancelled() {
            return cancelled.getCount() == 0;
        }
    }

    private final BlockingQueue<Generation> routed = new LinkedBlockingQueue<>();

    @Override
    public GenerationCall route(GenerationRequest request, GenerationObserver observer) {
        Generation generation = new Generation(request, observer);
        routed.add(generation);
        return generation;
    }

    /** The next routed generation, waiting for it to arrive. */
    Generation next() throws InterruptedException {
        Generation generation = routed.poll(10, TimeUnit.SECONDS);
        assertThat(generation).as("a generation routed to the use case").isNotNull();
        return generation;
    }

    boolean noneRouted() {
        return routed.isEmpty();
    }
}
