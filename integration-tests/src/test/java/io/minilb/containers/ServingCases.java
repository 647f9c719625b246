package io.minilb.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.SimulatedModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Every endpoint of mini-lb in front of 2 prefill and 2 decode servers, one topology for the whole class. With
 * simulators the tests also check exact outputs and, through the servers' admin counters, which servers each call
 * reached; with real SGLang they check shapes.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServingCases {

    private static final int TOKENS = 8;
    private static final String PROMPT = "Explain prefill and decode disaggregation in one sentence";

    private final SharedTopology sharedTopology = new SharedTopology(this::fleet, 2, 2);
    private PdTopology topology;
    private MiniLbClient miniLb;

    @RegisterExtension
    final TopologyLogsOnFailure logsOnFailure = new TopologyLogsOnFailure(sharedTopology::running);

    /** The servers behind mini-lb. */
    abstract ServerFleet fleet();

    @BeforeEach
    void useTheTopology() {
        topology = sharedTopology.get();
        miniLb = topology.client();
    }

    @AfterAll
    void stopTopology() {
        sharedTopology.close();
    }

    @Test
    void healthAnswers200WhileServing() {
        assertThat(miniLb.get("/health").status()).isEqualTo(200);
    }

    @Test
    void healthGenerateAsksEveryServer() {
        Reply reply = reachingEachServerOnce("/health_generate", () -> miniLb.get("/health_generate"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void flushCacheReachesEveryServer() {
        Reply reply = reachingEachServerOnce("/flush_cache", () -> miniLb.post("/flush_cache"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void serverInfoReportsEveryServer() {
        Reply reply = reachingEachServerOnce("/get_server_info", () -> miniLb.get("/get_server_info"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode info = reply.json();
        assertThat(info.path("prefill").size()).as("prefill infos in %s", info).isEqualTo(2);
        assertThat(info.path("decode").size()).as("decode infos in %s", info).isEqualTo(2);
        assertThat(info.path("internal_states").isArray() && !info.path("internal_states").isEmpty())
                .as("internal_states is a non-empty list in %s", info).isTrue();
    }

    @Test
    void modelInfoComesFromAPrefill() {
        RequestCounts before = topology.simulated() ? RequestCounts.of(topology.servers(), "/get_model_info") : null;

        Reply reply = miniLb.get("/get_model_info");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().path("model_path").asText()).isEqualTo(topology.fleet().model());
        if (topology.simulated()) {
            Map<String, Long> calls = RequestCounts.of(topology.servers(), "/get_model_info").since(before);
            assertThat(sum(calls, topology.prefills())).as("prefill calls in %s", calls).isEqualTo(1);
            assertThat(sum(calls, topology.decodes())).as("decode calls in %s", calls).isZero();
        }
    }

    @Test
    void modelsListTheServedModel() {
        Reply reply = miniLb.get("/v1/models");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode models = reply.json();
        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").path(0).path("id").asText()).isEqualTo(topology.fleet().model());
    }

    @ParameterizedTest
    @EnumSource(TextEndpoint.class)
    void answersWithTheGeneratedText(TextEndpoint endpoint) {
        Reply reply = miniLb.post(endpoint.path(), endpoint.request(topology.fleet().model(), PROMPT, TOKENS));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode answer = reply.json();
        if (endpoint.answerObject() != null) {
            assertThat(answer.path("object").asText()).isEqualTo(endpoint.answerObject());
        }
        assertGeneratedText(endpoint, endpoint.text(answer), PROMPT);
    }

    @ParameterizedTest
    @EnumSource(TextEndpoint.class)
    void streamsFramesUntilDone(TextEndpoint endpoint) {
        StreamOutcome stream = miniLb.stream(endpoint.path(),
                endpoint.streamingRequest(topology.fleet().model(), PROMPT, TOKENS)).awaitEnd(HttpJsonClient.CALL_BOUND);

        assertCleanStream(stream);
        if (endpoint.chunkObject() != null) {
            assertThat(stream.jsonFrames()).allSatisfy(
                    chunk -> assertThat(chunk.path("object").asText()).isEqualTo(endpoint.chunkObject()));
        }
        assertGeneratedText(endpoint, endpoint.streamedText(stream.jsonFrames()), PROMPT);
    }

    @Test
    void textBatchAnswersOneItemPerPromptInOrder() {
        List<String> prompts = List.of("the first prompt", "a second and longer prompt", "third");
        ObjectNode body = withSamplingParams(Json.object());
        prompts.forEach(body.putArray("text")::add);

        JsonNode items = batchAnswer(body, prompts.size());

        for (int i = 0; i < prompts.size(); i++) {
            assertGeneratedText(TextEndpoint.GENERATE, items.get(i).path("text").asText(null), prompts.get(i));
        }
        if (topology.simulated()) {
            JsonNode sent = lastBodyReceivedByADecode(received -> received.path("text").equals(body.path("text")));
            assertThat(longs(sent.path("bootstrap_room"))).as("one distinct room per item in %s", sent)
                    .hasSize(prompts.size()).doesNotHaveDuplicates();
            assertThat(sent.path("bootstrap_host").size()).as("hosts in %s", sent).isEqualTo(prompts.size());
        }
    }

    @Test
    void inputIdsBatchAnswersOneItemPerPromptInOrder() {
        List<List<Integer>> prompts = List.of(List.of(101, 102, 103, 104), List.of(201, 202));
        ObjectNode body = withSamplingParams(Json.object());
        ArrayNode inputIds = body.putArray("input_ids");
        prompts.forEach(ids -> ids.forEach(inputIds.addArray()::add));

        JsonNode items = batchAnswer(body, prompts.size());

        for (int i = 0; i < prompts.size(); i++) {
            String text = items.get(i).path("text").asText(null);
            assertThat(text).as("item %d's text", i).isNotNull();
            if (topology.simulated()) {
                assertThat(text).isEqualTo(SimulatedModel.expectedText(prompts.get(i), TOKENS));
            }
        }
    }

    @Test
    void logprobsStartWithThePromptsOwnFromThePrefill() {
        ObjectNode body = TextEndpoint.GENERATE.request(topology.fleet().model(), PROMPT, TOKENS)
                .put("return_logprob", true);

        Reply reply = miniLb.post("/generate", body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode meta = reply.json().path("meta_info");
        assertThat(meta.path("output_token_logprobs").size()).as("output logprobs in %s", meta)
                .isEqualTo(meta.path("completion_tokens").asInt());
        assertPromptLogprobs(meta);
    }

    @Test
    void streamedLogprobsCarryThePromptsInEveryFrame() {
        ObjectNode body = TextEndpoint.GENERATE.streamingRequest(topology.fleet().model(), PROMPT, TOKENS)
                .put("return_logprob", true);

        StreamOutcome stream = miniLb.stream("/generate", body).awaitEnd(HttpJsonClient.CALL_BOUND);

        assertCleanStream(stream);
        assertThat(stream.jsonFrames()).allSatisfy(frame -> assertPromptLogprobs(frame.path("meta_info")));
    }

    @Test
    void generationsSpreadOverEveryServer() {
        assumeTrue(topology.simulated(),
                "counting requests per server needs the simulator's /_sim/state; real SGLang has no such counter");
        int generations = 8;
        RequestCounts before = RequestCounts.of(topology.servers(), "/generate");

        IntStream.range(0, generations).forEach(i -> {
            Reply reply = miniLb.post("/generate", TextEndpoint.GENERATE.request(SimulatorFleet.MODEL, "prompt " + i, 2));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        });

        assertThat(RequestCounts.of(topology.servers(), "/generate").since(before))
                .as("round robin: every prefill and every decode gets its share")
                .isEqualTo(RequestCounts.each(topology.servers(), generations / 2));
        Set<String> bootstrapHosts = topology.decodes().stream()
                .flatMap(decode -> decode.admin().recentBodies("/generate").stream())
                .map(sent -> sent.path("bootstrap_host").asText())
                .collect(Collectors.toSet());
        assertThat(bootstrapHosts).as("bootstrap_host: the prefills' network aliases")
                .contains("prefill-1", "prefill-2");
    }

    /** Runs a fan-out call; with simulators, checks that it reached each server exactly once. */
    private Reply reachingEachServerOnce(String path, Supplier<Reply> call) {
        if (!topology.simulated()) {
            return call.get();
        }
        RequestCounts before = RequestCounts.of(topology.servers(), path);
        Reply reply = call.get();
        assertThat(RequestCounts.of(topology.servers(), path).since(before)).as(path + " calls per server")
                .isEqualTo(RequestCounts.each(topology.servers(), 1));
        return reply;
    }

    private void assertGeneratedText(TextEndpoint endpoint, String text, String prompt) {
        assertThat(text).as("generated text").isNotNull();
        if (topology.simulated()) {
            assertThat(text).isEqualTo(endpoint.simulatedText(prompt, TOKENS));
        }
    }

    private static void assertCleanStream(StreamOutcome stream) {
        assertThat(stream.status()).as(stream.toString()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        assertThat(stream.breakage()).as("connection errors").isEmpty();
        assertThat(stream.endedWithDone()).as("ends with [DONE]: %s", stream).isTrue();
        assertThat(stream.jsonFrames()).as("frames before [DONE]").hasSizeGreaterThanOrEqualTo(2);
        assertThat(GenerationErrors.failedSide(stream)).as("error frames").isEmpty();
    }

    /** The prompt's logprobs, which only the prefill computes, are in the answer: mini-lb merged them. */
    private void assertPromptLogprobs(JsonNode meta) {
        JsonNode input = meta.path("input_token_logprobs");
        assertThat(input.isArray() && !input.isEmpty()).as("prompt logprobs in %s", meta).isTrue();
        if (topology.simulated()) {
            List<Integer> tokenIds = StreamSupport.stream(input.spliterator(), false)
                    .map(entry -> entry.get(1).asInt()).toList();
            assertThat(tokenIds).isEqualTo(SimulatedModel.tokenize(PROMPT));
        }
    }

    private JsonNode batchAnswer(ObjectNode body, int size) {
        Reply reply = miniLb.post("/generate", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode items = reply.json();
        assertThat(items.isArray()).as("a batch answers a list: %s", items).isTrue();
        assertThat(items.size()).isEqualTo(size);
        return items;
    }

    private JsonNode lastBodyReceivedByADecode(Predicate<JsonNode> matching) {
        return topology.decodes().stream()
                .flatMap(decode -> decode.admin().recentBodies("/generate").stream())
                .filter(matching)
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no decode received the request"));
    }

    private static ObjectNode withSamplingParams(ObjectNode body) {
        body.putObject("sampling_params").put("max_new_tokens", TOKENS).put("temperature", 0);
        return body;
    }

    private static long sum(Map<String, Long> perServer, List<PdServer> servers) {
        return servers.stream().mapToLong(server -> perServer.get(server.alias())).sum();
    }

    private static List<Long> longs(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }
}
