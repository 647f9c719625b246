package io.minilb.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** A server-sent event stream read on a background thread, frame by frame, so a test can act while it flows. */
final class EventStream {

    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread reader = new Thread(task, "event-stream-reader");
        reader.setDaemon(true);
        return reader;
    });

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<StreamOutcome> outcome;

    private EventStream(HttpClient http, HttpRequest request) {
        outcome = CompletableFuture.supplyAsync(() -> read(http, request), READERS);
    }

    static EventStream open(HttpClient http, HttpRequest request) {
        return new EventStream(http, request);
    }

    /** Waits until {@code count} frames arrived; fails if the stream ends first or the bound passes. */
    void awaitFrames(int count, Duration bound) {
        Awaitility.await("the stream's first " + count + " frame(s)").atMost(bound)
                .until(() -> frames.size() >= count || outcome.isDone());
        if (frames.size() < count) {
            throw new AssertionError("the stream ended after " + frames.size() + " frame(s): " + outcome.join());
        }
    }

    /** The outcome once the stream ended; fails when it is still open after {@code bound}. */
    StreamOutcome awaitEnd(Duration bound) {
        try {
            return outcome.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the stream was still open after " + bound.toSeconds() + " s; frames so far: "
                    + frames.size() + (frames.isEmpty() ? "" : ", last: " + frames.get(frames.size() - 1)));
        } catch (ExecutionException e) {
            throw new AssertionError("the stream could not be opened", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private StreamOutcome read(HttpClient http, HttpRequest request) {
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Optional<String> breakage = Optional.empty();
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.forEachOrdered(line -> {
                if (line.isEmpty()) {
                    completeFrame(data);
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            });
        } catch (UncheckedIOException e) {
            breakage = Optional.of(String.valueOf(e.getCause()));
        }
        completeFrame(data); // a last frame without its blank line, as a broken stream may leave it
        return new StreamOutcome(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                List.copyOf(frames), breakage, Instant.now());
    }

    private void completeFrame(List<String> dataLines) {
        if (!dataLines.isEmpty()) {
            frames.add(String.join("\n", dataLines));
            dataLines.clear();
        }
    }
}
