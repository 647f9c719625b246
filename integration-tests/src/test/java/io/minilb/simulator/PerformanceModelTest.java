package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The prefill's prefix cache and the decode's batch, as seen by a client. */
class PerformanceModelTest {

    private static final String LONG_PROMPT = "word ".repeat(400);

    @Test
    void aCachedPromptIsReportedAsCachedTokensAndSkipsThePrefillTime() {
        try (PdPair pair = PdPair.start(prefill -> prefill.prefixCacheTokens(10_000).prefillMsPerToken(10),
                decode -> decode)) {
            long start = System.nanoTime();
            PdPair.Answers first = pair.send("/generate", body(pair, LONG_PROMPT + "first question", 4));
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            PdPair.Answers second = pair.send("/generate", body(pair, LONG_PROMPT + "second question", 4));
            long secondMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(cachedTokens(first.decode())).isZero();
            assertThat(cachedTokens(second.decode())).as("400 shared words, in whole pages of 16").isEqualTo(400);
            assertThat(cachedTokens(second.prefill())).isEqualTo(400);
            assertThat(firstMillis).as("402 tokens at 10 ms").isGreaterThanOrEqualTo(4_000);
            assertThat(secondMillis).as("2 uncached tokens").isLessThan(firstMillis);
        }
    }

    @Test
    void withoutTheModelsNothingIsCachedAndConcurrencyCostsNothing() {
        try (PdPair pair = PdPair.start()) {
            pair.send("/generate", body(pair, LONG_PROMPT, 4));
            assertThat(cachedTokens(pair.send("/generate", body(pair, LONG_PROMPT, 4)).decode())).isZero();
        }
    }

    @Test
    void aDecodeBeyondItsBatchSizeSlowsEveryRequest() {
        try (PdPair pair = PdPair.start(prefill -> prefill, decode -> decode.decodeMsPerToken(50).decodeBatchSize(1))) {
            List<ObjectNode> bodies = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> decodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ObjectNode body = body(pair, "request " + i, 10);
                bodies.add(body);
                decodes.add(TestHttp.post(pair.decode.url() + "/generate", body));
            }
            long start = System.nanoTime();
            bodies.forEach(body -> TestHttp.post(pair.prefill.url() + "/generate", body));
            decodes.forEach(PdPair::join);
            long millis = (System.nanoTime() - start) / 1_000_000;
            // Alone, 9 tokens after the first take 450 ms; four in a batch of one, four times that.
            assertThat(millis).isGreaterThanOrEqualTo(1_200);
        }
    }

    private static ObjectNode body(PdPair pair, String text, int maxTokens) {
        ObjectNode body = object().put("text", text);
        body.putObject("sampling_params").put("max_new_tokens", maxTokens);
        return pair.bootstrap(body, PdPair.newRoom());
    }

    private static int cachedTokens(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(200);
        return json(answer).path("meta_info").path("cached_tokens").asInt();
    }
}
