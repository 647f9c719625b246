package io.minilb.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Plain HTTP/1.1 calls to one container of a topology, through its published port. Every call is bounded, so a
 * server that hangs fails a test instead of stalling the suite.
 */
class HttpJsonClient {

    static final Duration CALL_BOUND = Duration.ofSeconds(60);

    private final Supplier<URI> baseUri;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** @param baseUri looked up per call: a restarted container may be published on another port */
    HttpJsonClient(Supplier<URI> baseUri) {
        this.baseUri = baseUri;
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()).build());
    }

    Reply post(String path, JsonNode body) {
        return send(jsonPost(path, body).build());
    }

    /** Sends without waiting, for requests that must be in flight together. */
    CompletableFuture<Reply> postAsync(String path, JsonNode body) {
        long start = System.nanoTime();
        return http.sendAsync(jsonPost(path, body).build(), BodyHandlers.ofString())
                .thenApply(response -> reply(response, start));
    }

    HttpRequest.Builder jsonPost(String path, JsonNode body) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(Json.write(body)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.get().resolve(path)).timeout(CALL_BOUND);
    }

    private Reply send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            return reply(http.send(request, BodyHandlers.ofString()), start);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Reply reply(HttpResponse<String> response, long startNanos) {
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
