package io.minilb.simulator.rendezvous;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A decode's side of the rendezvous: claims a room at the prefill's bootstrap server and waits, in one long poll,
 * for its KV. Asynchronous throughout, so a decode holding a thousand streams parks no thread.
 */
public final class BootstrapClient implements AutoCloseable {
    /** Slack for the local timeout over the one the bootstrap server enforces, so the server's answer wins. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sglang-sim-bootstrap-client");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http;
    private final Duration timeout;

    /** @param timeout the decode's bootstrap timeout: how long to wait for the prefill's KV */
    public BootstrapClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    /**
     * Claims the room at {@code host:port} (an IPv6 literal with or without brackets, or a DNS name). Completes
     * with the KV, or exceptionally with a {@link RendezvousFailure}; cancelling it abandons the long poll.
     */
    public CompletableFuture<KvTransfer> claim(String host, int port, long room) {
        String address = hostForUri(host) + ":" + port;
        CompletableFuture<HttpResponse<String>> call;
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://" + address + "/_sim/rooms/" + room + "/claim?timeout_ms=" + timeout.toMillis()))
                    .timeout(timeout.plus(GRACE))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            call = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException badAddress) {
            return CompletableFuture.failedFuture(new RendezvousFailure(RoomEvent.FAILED,
                    "invalid bootstrap address " + address + ": " + badAddress.getMessage()));
        }
        CompletableFuture<KvTransfer> kv = call.handle((response, error) -> {
            if (error != null) {
                throw failure(address, room, error);
            }
            return kvOf(address, room, response);
        });
        kv.whenComplete((transfer, error) -> {
            if (error instanceof CancellationException) {
                call.cancel(true); // aborts the HTTP exchange (JDK 16+)
            }
        });
        return kv;
    }

    private KvTransfer kvOf(String address, long room, HttpResponse<String> response) {
        String message = "bootstrap server " + address + " answered " + response.statusCode() + " for room " + room;
        JsonNode body;
        try {
            body = Json.parse(response.body());
        } catch (IOException e) {
            throw new RendezvousFailure(RoomEvent.FAILED, message + " with a body that is not JSON");
        }
        return switch (response.statusCode()) {
            case 200 -> new KvTransfer(room, body.path("prompt_tokens").asInt(), body.path("prompt_hash").asLong(),
                    body.path("cached_tokens").asInt());
            case 504 -> throw new RendezvousFailure(RoomEvent.TIMED_OUT, body.path("message").asText(message));
            default -> throw new RendezvousFailure(RoomEvent.FAILED, body.path("message").asText(message));
        };
    }

    private RendezvousFailure failure(String address, long room, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return new RendezvousFailure(RoomEvent.TIMED_OUT,
                    "KV transfer for room " + room + " from " + address + " timed out after " + timeout.toMillis() + " ms");
        }
        return new RendezvousFailure(RoomEvent.FAILED,
                "could not reach bootstrap server " + address + " for room " + room + ": " + cause);
    }

    /** SGLang joins host and port textually; accept a bare IPv6 literal too. */
    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
