package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.reliability.support.ChildJvm;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decode asked for a million top logprobs for each of 2 tokens answers about 44 MB, which the simulator must hold only
 * once: as a tree and strings it would take several times that. It runs in a JVM of its own with a heap too
 * small for more than a couple of copies, and must answer completely and stay up.
 */
class LargeAnswerTest {
    private static final String HEAP = "-Xmx128m"; // the former tree-and-string answer ran out of memory at 160m; this needs under 96m
    private static final int TOP_LOGPROBS = 1_000_000;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void aDecodeAnswersTensOfMegabytesOfLogprobsWithinASmallHeap(@TempDir Path logs) throws Exception {
        try (Simulator prefill = SimulatorConfig.prefill().start();
             ChildJvm decode = ChildJvm.start(SimulatorMain.class.getName(),
                     List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"),
                     List.of("--mode", "decode", "--port", "0"), logs.resolve("decode.log"))) {
            String decodeUrl = decode.awaitLine(Pattern.compile("serving (http://\\S+)"), PATIENCE).group(1);
            ObjectNode body = object().put("text", "hi").put("return_logprob", true)
                    .put("top_logprobs_num", TOP_LOGPROBS).put("logprob_start_len", -5);
            body.putObject("sampling_params").put("max_new_tokens", 2);
            body.put("bootstrap_host", prefill.urlHost()).put("bootstrap_port", prefill.bootstrapPort())
                    .put("bootstrap_room", PdPair.newRoom());

            CompletableFuture<HttpResponse<InputStream>> answer = TestHttp.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(decodeUrl + "/generate"))
                    .timeout(PATIENCE).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
            ObjectNode prefillBody = body.deepCopy().put("top_logprobs_num", 0); // the same prompt and room is all the KV needs
            PdPair.join(TestHttp.post(prefill.url() + "/generate", prefillBody), PATIENCE);

            HttpResponse<InputStream> response = PdPair.join(answer, PATIENCE);
            assertThat(response.statusCode()).isEqualTo(200);
            long declared = response.headers().firstValueAsLong("Content-Length").orElseThrow();
            assertThat(declared).isGreaterThan(40_000_000); // about 22 bytes per entry
            try (InputStream in = response.body()) {
                assertThat(countTopLogprobEntries(in)).isEqualTo(2L * TOP_LOGPROBS);
            }
            assertThat(decode.isAlive()).as("decode alive; output:\n%s", decode.outputTail()).isTrue();
            assertThat(TestHttp.get(decodeUrl + "/health").statusCode()).isEqualTo(200);
        }
    }

    /** Streams through the answer and counts the {@code [logprob, id, null]} entries of output_top_logprobs. */
    private static long countTopLogprobEntries(InputStream in) throws Exception {
        long entries = 0;
        try (JsonParser json = TestHttp.JSON.getFactory().createParser(in)) {
            for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
                if (token == JsonToken.FIELD_NAME && json.currentName().equals("output_top_logprobs")) {
                    json.nextToken();
                    for (int depth = 1; depth > 0; ) {
                        token = json.nextToken();
                        if (token == JsonToken.START_ARRAY && ++depth == 3) {
                            entries++;
                        } else if (token == JsonToken.END_ARRAY) {
                            depth--;
                        }
                    }
                }
            }
        }
        return entries;
    }
}
