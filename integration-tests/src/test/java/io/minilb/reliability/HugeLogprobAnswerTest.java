package io.minilb.reliability;

import static io.minilb.simulator.TestHttp.CLIENT;
import static io.minilb.simulator.TestHttp.JSON;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.reliability.support.MiniLbProcess;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, "Memory is bounded by configuration, never by what a client or server does": one request whose prompt
 * logprobs must be merged into a huge answer is answered, or refused with a clear JSON error, and mini-lb survives it.
 *
 * <p>The scale: a million top logprobs for each of 2 output tokens make the decode answer about 44 MB, and the prompt's
 * million more make the merged answer about 66 MB. Merged as JSON trees, that cost about 1 GB of heap (15-17 times the
 * answer): at {@code -Xmx256m} the outbound client's threads died of OutOfMemoryError and every later request failed.
 * Here mini-lb runs in a JVM of its own at {@code -Xmx256m -XX:+ExitOnOutOfMemoryError}, so an unbounded merge would
 * kill it and fail the test; with the bounds (a streaming merge, {@code --max-response-bytes}, the memory budget) it
 * answers 200, or 502 {@code response_too_large}, or 503 {@code overloaded}, and serves the next request.
 */
class HugeLogprobAnswerTest {
    private static final Logger LOG = LoggerFactory.getLogger(HugeLogprobAnswerTest.class);
    private static final List<String> PROXY_JVM = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int TOP_LOGPROBS = 1_000_000;
    private static final int OUTPUT_TOKENS = 2;
    private static final long MB = 1 << 20;

    private static Simulator prefill;
    private static Simulator decode;

    @BeforeAll
    static void startSimulators() {
        prefill = SimulatorConfig.prefill().start();
        decode = SimulatorConfig.decode().start();
    }

    @AfterAll
    static void stopSimulators() {
        if (decode != null) {
            decode.close();
        }
        if (prefill != null) {
            prefill.close();
        }
    }

    private static MiniLbProcess startMiniLb(Path dir, String... flags) {
        List<String> allFlags = new ArrayList<>(List.of("--request-timeout-secs", Long.toString(REQUEST_TIMEOUT.toSeconds())));
        allFlags.addAll(List.of(flags));
        return MiniLbProcess.start(PROXY_JVM, prefill.url(), prefill.bootstrapPort(), decode.url(), allFlags,
                dir.resolve("mini-lb.log"));
    }

    private static ObjectNode hugeLogprobRequest() {
        ObjectNode body = object().put("text", "hi").put("return_logprob", true).put("logprob_start_len", -5)
                .put("top_logprobs_num", TOP_LOGPROBS);
        body.putObject("sampling_params").put("max_new_tokens", OUTPUT_TOKENS);
        return body;
    }

    @Test
    void withItsDefaultLimitsMiniLbAnswersOrRefusesClearlyWithinTheTimeoutAndServesTheNextRequest(@TempDir Path dir)
            throws Exception {
        try (MiniLbProcess lb = startMiniLb(dir)) {
            Outcome outcome = send(lb, hugeLogprobRequest());

            assertThat(outcome.elapsed()).as("answered within the request timeout").isLessThan(REQUEST_TIMEOUT);
            if (outcome.status() == 200) {
                assertThat(outcome.topLogprobLists().get("output_top_logprobs"))
                        .as("the decode's million alternatives per output token, all relayed")
                        .containsExactly(TOP_LOGPROBS, TOP_LOGPROBS);
                assertThat(outcome.topLogprobLists().get("input_top_logprobs"))
                        .as("the prompt's logprobs, merged from the prefill")
                        .isNotEmpty().allMatch(size -> size == TOP_LOGPROBS);
            } else {
                assertThat(outcome.status()).as(outcome.errorBody()).isIn(502, 503);
                assertThat(errorType(outcome)).isEqualTo(outcome.status() == 502 ? "response_too_large" : "overloaded");
            }
            LOG.info("figure: huge logprob answer at {} with default limits: HTTP {} in {} ms, peak RSS {} MB",
                    PROXY_JVM, outcome.status(), outcome.elapsed().toMillis(), outcome.peakResidentBytes() / MB);

            assertStillServing(lb);
        }
    }

    @Test
    void pastTheResponseLimitTheClientGetsA502NamingTheLimitAndTheNextRequestIsServed(@TempDir Path dir)
            throws Exception {
        try (MiniLbProcess lb = startMiniLb(dir, "--max-response-bytes", "1048576")) {
            Outcome outcome = send(lb, hugeLogprobRequest());

            assertThat(outcome.status()).as(outcome.errorBody()).isEqualTo(502);
            assertThat(errorType(outcome)).isEqualTo("response_too_large");
            assertThat(json(outcome.errorBody()).path("error").path("message").asText())
                    .contains("1048576").contains("max-response-bytes");
            assertThat(outcome.elapsed()).isLessThan(REQUEST_TIMEOUT);
            LOG.info("figure: huge logprob answer at {} with --max-response-bytes 1048576: HTTP {} in {} ms, "
                    + "peak RSS {} MB", PROXY_JVM, outcome.status(), outcome.elapsed().toMillis(),
                    outcome.peakResidentBytes() / MB);

            assertStillServing(lb);
        }
    }

    private static String errorType(Outcome outcome) {
        return json(outcome.errorBody()).path("error").path("type").asText();
    }

    /** The process survived: it is alive, and an ordinary generation gets its answer. */
    private static void assertStillServing(MiniLbProcess lb) {
        assertThat(lb.jvm().isAlive()).as("mini-lb alive; output:\n%s", lb.jvm().outputTail()).isTrue();
        ObjectNode ordinary = object().put("text", "and now something ordinary");
        ordinary.putObject("sampling_params").put("max_new_tokens", 4);
        HttpResponse<String> next = TestHttp.send(post(lb, ordinary).build());
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(json(next).path("meta_info").path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(lb.jvm().isAlive()).isTrue();
    }

    private static HttpRequest.Builder post(MiniLbProcess lb, JsonNode body) {
        return HttpRequest.newBuilder(URI.create(lb.url() + "/generate"))
                .timeout(REQUEST_TIMEOUT.plusSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    /**
     * Sends the request and reads the answer as a stream (a tree of it would cost the test's heap many times its
     * size), sampling mini-lb's resident memory meanwhile.
     */
    private static Outcome send(MiniLbProcess lb, JsonNode body) throws Exception {
        AtomicLong peakResident = new AtomicLong(lb.jvm().residentBytes());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            if (lb.jvm().isAlive()) {
                peakResident.accumulateAndGet(lb.jvm().residentBytes(), Math::max);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = CLIENT.send(post(lb, body).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() == 200) {
                    Map<String, List<Integer>> lists = topLogprobLists(in);
                    return new Outcome(200, Duration.ofNanos(System.nanoTime() - start), lists, null, peakResident.get());
                }
                String error = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Outcome(response.statusCode(), Duration.ofNanos(System.nanoTime() - start), Map.of(), error,
                        peakResident.get());
            }
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** What came back: a 200's top-logprob list sizes, or an error's body; how long it took; mini-lb's peak RSS. */
    private record Outcome(int status, Duration elapsed, Map<String, List<Integer>> topLogprobLists, String errorBody,
            long peakResidentBytes) {
    }

    /**
     * Streams through the answer: for each {@code *_top_logprobs} field, how many {@code [logprob, id, null]}
     * entries each of its per-token lists holds.
     */
    private static Map<String, List<Integer>> topLogprobLists(InputStream in) throws IOException {
        Map<String, List<Integer>> lists = new HashMap<>();
        try (JsonParser parser = JSON.getFactory().createParser(in)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && parser.currentName().endsWith("_top_logprobs")) {
                    String field = parser.currentName();
                    if (parser.nextToken() == JsonToken.START_ARRAY) {
                        lists.put(field, entriesPerToken(parser));
                    }
                }
            }
        }
        return lists;
    }

    /** From just inside the field's outer array to its end: the entry count of each inner list. */
    private static List<Integer> entriesPerToken(JsonParser parser) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        int depth = 1;
        int entries = 0;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                depth++;
                if (depth == 3) {
                    entries++;
                }
            } else if (token == JsonToken.END_ARRAY) {
                depth--;
                if (depth == 1) {
                    sizes.add(entries);
                    entries = 0;
                }
            }
        }
        return sizes;
    }
}
