package io.minilb.adapters.out.http;

import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every callback in order, and when the (first) terminal one came. */
final class RecordingObserver implements GenerationObserver {

    /** The terminal callback: exactly one of the three kinds. */
    sealed interface Outcome permits Response, StreamEnd, Failure {
    }

    record Response(int status, String contentType, byte[] body) implements Outcome {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record StreamEnd() implements Outcome {
    }

    record Failure(GenerationFailure failure) implements Outcome {
    }

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    final AtomicInteger terminalCalls = new AtomicInteger();
    volatile long outcomeNanoTime;

    @Override
    public void onResponse(int status, String contentType, byte[] body) {
        events.add("response " + status);
        terminal(new Response(status, contentType, body));
    }

    @Override
    public void onStreamStart() {
        events.add("stream start");
    }

    @Override
    public void onFrame(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        events.add("frame " + text);
        frames.add(text);
    }

    @Override
    public void onStreamEnd() {
        events.add("stream end");
        terminal(new StreamEnd());
    }

    @Override
    public void onFailure(GenerationFailure failure) {
        events.add("failure " + failure.kind());
        terminal(new Failure(failure));
    }

    private void terminal(Outcome terminal) {
        terminalCalls.incrementAndGet();
        outcomeNanoTime = System.nanoTime();
        outcome.complete(terminal);
    }
}
