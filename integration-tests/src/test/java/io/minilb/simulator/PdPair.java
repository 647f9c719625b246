package io.minilb.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** A prefill and a decode simulator started in-process, and what a balancer would do with them. */
final class PdPair implements AutoCloseable {
    private static final AtomicLong ROOMS = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));

    final Simulator prefill;
    final Simulator decode;

    private PdPair(Simulator prefill, Simulator decode) {
        this.prefill = prefill;
        this.decode = decode;
    }

    static PdPair start() {
        return start(UnaryOperator.identity(), UnaryOperator.identity());
    }

    static PdPair start(UnaryOperator<SimulatorConfig.Builder> prefillConfig, UnaryOperator<SimulatorConfig.Builder> decodeConfig) {
        Simulator prefill = prefillConfig.apply(SimulatorConfig.prefill()).start();
        try {
            return new PdPair(prefill, decodeConfig.apply(SimulatorConfig.decode()).start());
        } catch (RuntimeException e) {
            prefill.close();
            throw e;
        }
    }

    static long newRoom() {
        return ROOMS.incrementAndGet();
    }

    /** Adds the bootstrap fields a balancer adds for this pair's prefill. */
    ObjectNode bootstrap(ObjectNode body, long room) {
        return body.put("bootstrap_host", prefill.urlHost()).put("bootstrap_port", prefill.bootstrapPort())
                .put("bootstrap_room", room);
    }

    /** Sends the same body to both servers at once, as a balancer does. */
    Answers send(String path, JsonNode body) {
        CompletableFuture<HttpResponse<String>> toDecode = TestHttp.post(decode.url() + path, body);
        CompletableFuture<HttpResponse<String>> toPrefill = TestHttp.post(prefill.url() + path, body);
        return new Answers(join(toPrefill), join(toDecode));
    }

    static HttpResponse<String> join(CompletableFuture<HttpResponse<String>> response) {
        return join(response, Duration.ofSeconds(10));
    }

    static <T> HttpResponse<T> join(CompletableFuture<HttpResponse<T>> response, Duration timeout) {
        try {
            return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer", e);
        }
    }

    record Answers(HttpResponse<String> prefill, HttpResponse<String> decode) {
    }

    @Override
    public void close() {
        decode.close();
        prefill.close();
    }
}
