package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static io.minilb.e2e.E2e.post;
import static io.minilb.simulator.TestHttp.sseData;
import static io.minilb.e2e.E2e.sseJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.ChatMessage;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.SimulatedModel;
import io.minilb.simulator.Simulator;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every generation endpoint and body shape through mini-lb, with exact expected texts from the simulated model. */
class GenerationE2eTest extends SharedTopologyTest {

    private static void assertRendezvousCompleted(int rooms) {
        assertThat(PdTopology.rooms(topology.decodes, RoomEvent.COMPLETED)).hasSize(rooms).doesNotHaveDuplicates();
        assertThat(PdTopology.rooms(topology.prefills, RoomEvent.COMPLETED)).hasSize(rooms).doesNotHaveDuplicates();
        assertThat(PdTopology.rooms(topology.all(), RoomEvent.TIMED_OUT)).isEmpty();
        assertThat(PdTopology.rooms(topology.all(), RoomEvent.FAILED)).isEmpty();
    }

    @Test
    void generateSingleText() {
        String prompt = "the quick brown fox jumps";
        HttpResponse<String> response = post(topology.url("/generate"), generate(prompt, 12));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.path("text").asText()).isEqualTo(SimulatedModel.expectedText(prompt, 12));
        assertThat(body.path("meta_info").path("completion_tokens").asInt()).isEqualTo(12);
        assertRendezvousCompleted(1);
    }

    @Test
    void generateSingleInputIds() {
        List<Integer> ids = List.of(101, 202, 303, 404);
        ObjectNode body = object();
        ids.forEach(body.putArray("input_ids")::add);
        body.putObject("sampling_params").put("max_new_tokens", 9);

        HttpResponse<String> response = post(topology.url("/generate"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("text").asText()).isEqualTo(SimulatedModel.expectedText(ids, 9));
        assertThat(json(response).path("output_ids").size()).isEqualTo(9);
        assertRendezvousCompleted(1);
    }

    @Test
    void generateTextBatchAnswersOneObjectPerItem() {
        List<String> prompts = List.of("first prompt here", "second one", "a third and longer prompt text");
        ObjectNode body = object();
        prompts.forEach(body.putArray("text")::add);
        body.putObject("sampling_params").put("max_new_tokens", 7);

        assertBatchAnswered(body, prompts.stream().map(prompt -> SimulatedModel.expectedText(prompt, 7)).toList());
    }

    @Test
    void generateInputIdsBatchAnswersOneObjectPerItem() {
        List<List<Integer>> prompts = List.of(List.of(1, 2, 3), List.of(400, 500), List.of(7, 8, 9, 10, 11));
        ObjectNode body = object();
        ArrayNode batch = body.putArray("input_ids");
        prompts.forEach(ids -> ids.forEach(batch.addArray()::add));
        body.putObject("sampling_params").put("max_new_tokens", 5);

        assertBatchAnswered(body, prompts.stream().map(ids -> SimulatedModel.expectedText(ids, 5)).toList());
    }

    /** A batch is answered with one object per item, in order, each with its exact text, every rendezvous done. */
    private static void assertBatchAnswered(ObjectNode body, List<String> expectedTexts) {
        HttpResponse<String> response = post(topology.url("/generate"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode items = json(response);
        assertThat(items.isArray()).as(response.body()).isTrue();
        assertThat(items).hasSize(expectedTexts.size());
        for (int i = 0; i < expectedTexts.size(); i++) {
            assertThat(items.get(i).path("text").asText()).isEqualTo(expectedTexts.get(i));
        }
        assertRendezvousCompleted(expectedTexts.size());
    }

    @Test
    void chatCompletion() {
        ObjectNode body = object().put("model", "sim-model").put("max_tokens", 10);
        body.putArray("messages").addObject().put("role", "user").put("content", "hello there balancer");

        HttpResponse<String> response = post(topology.url("/v1/chat/completions"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String expected = SimulatedModel.expectedText(
                SimulatedModel.chatPrompt(List.of(ChatMessage.user("hello there balancer"))), 10);
        assertThat(json(response).path("choices").get(0).path("message").path("content").asText()).isEqualTo(expected);
        assertRendezvousCompleted(1);
    }

    @Test
    void completion() {
        ObjectNode body = object().put("model", "sim-model").put("prompt", "once upon a time").put("max_tokens", 8);

        HttpResponse<String> response = post(topology.url("/v1/completions"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("choices").get(0).path("text").asText())
                .isEqualTo(SimulatedModel.expectedText("once upon a time", 8));
        assertRendezvousCompleted(1);
    }

    @Test
    void generateStreamSendsCumulativeFramesEndingWithDone() {
        String prompt = "stream me some tokens please";
        ObjectNode body = generate(prompt, 20).put("stream", true);

        HttpResponse<String> response = post(topology.url("/generate"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> data = sseData(response.body());
        assertThat(data).last().isEqualTo("[DONE]");
        assertThat(data.stream().filter("[DONE]"::equals)).hasSize(1);
        List<JsonNode> frames = sseJson(response.body());
        assertThat(frames).hasSizeGreaterThan(1);
        // SGLang's /generate stream carries the cumulative text in each frame
        assertThat(frames.get(frames.size() - 1).path("text").asText())
                .isEqualTo(SimulatedModel.expectedText(prompt, 20));
        assertRendezvousCompleted(1);
    }

    @Test
    void chatStreamDeltasConcatenateToTheExpectedText() {
        ObjectNode body = object().put("model", "sim-model").put("max_tokens", 25).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", "tell me a story");

        HttpResponse<String> response = post(topology.url("/v1/chat/completions"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(sseData(response.body())).last().isEqualTo("[DONE]");
        List<JsonNode> frames = sseJson(response.body());
        assertThat(frames).hasSizeGreaterThan(2);
        StringBuilder text = new StringBuilder();
        for (JsonNode frame : frames) {
            assertThat(frame.path("object").asText()).isEqualTo("chat.completion.chunk");
            frame.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asText("")));
        }
        assertThat(text.toString()).isEqualTo(SimulatedModel.expectedText(
                SimulatedModel.chatPrompt(List.of(ChatMessage.user("tell me a story"))), 25));
        assertRendezvousCompleted(1);
    }

    @Test
    void completionStreamConcatenatesToTheExpectedText() {
        ObjectNode body = object().put("model", "sim-model").put("prompt", "count to ten").put("max_tokens", 15)
                .put("stream", true);

        HttpResponse<String> response = post(topology.url("/v1/completions"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(sseData(response.body())).last().isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        sseJson(response.body()).forEach(frame -> frame.path("choices")
                .forEach(choice -> text.append(choice.path("text").asText(""))));
        assertThat(text.toString()).isEqualTo(SimulatedModel.expectedText("count to ten", 15));
        assertRendezvousCompleted(1);
    }

    @Test
    void returnLogprobMergesThePrefillsInputLogprobs() {
        String prompt = "one two three four five six";
        ObjectNode body = generate(prompt, 6).put("return_logprob", true);

        HttpResponse<String> response = post(topology.url("/generate"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode meta = json(response).path("meta_info");
        int promptTokens = SimulatedModel.tokenize(prompt).size();
        assertThat(meta.path("input_token_logprobs")).as(response.body()).hasSize(promptTokens);
        assertThat(meta.path("input_token_logprobs").get(0).get(1).asInt())
                .isEqualTo(SimulatedModel.tokenize(prompt).get(0));
        assertThat(meta.path("output_token_logprobs")).hasSize(6);
    }

    @Test
    void streamedReturnLogprobMergesThePrefillsInputLogprobsIntoEveryFrame() {
        String prompt = "alpha beta gamma delta";
        ObjectNode body = generate(prompt, 5).put("return_logprob", true).put("stream", true);

        HttpResponse<String> response = post(topology.url("/generate"), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(sseData(response.body())).last().isEqualTo("[DONE]");
        List<JsonNode> frames = sseJson(response.body());
        assertThat(frames).isNotEmpty();
        int promptTokens = SimulatedModel.tokenize(prompt).size();
        for (JsonNode frame : frames) {
            assertThat(frame.path("meta_info").path("input_token_logprobs")).as(frame.toString()).hasSize(promptTokens);
        }
        assertThat(frames.get(frames.size() - 1).path("text").asText())
                .isEqualTo(SimulatedModel.expectedText(prompt, 5));
    }

    @Test
    void roundRobinSpreadsTrafficOverAllFourServers() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = post(topology.url("/generate"), generate("spread request " + i, 3));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        for (Simulator sim : topology.all()) {
            assertThat(sim.state().requestCount("/generate")).as(sim.mode() + " " + sim.url()).isEqualTo(2);
        }
        assertRendezvousCompleted(4);
    }

    @Test
    void bothLegsReceiveTheSameBodyWithDistinctRoomAndThePrefillsBootstrapAddress() {
        HttpResponse<String> response = post(topology.url("/generate"), generate("check the body", 2));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        JsonNode prefillBody = topology.prefills.stream().flatMap(p -> p.state().recentRequests().stream())
                .findFirst().orElseThrow().body();
        JsonNode decodeBody = topology.decodes.stream().flatMap(d -> d.state().recentRequests().stream())
                .findFirst().orElseThrow().body();
        assertThat(decodeBody).isEqualTo(prefillBody);
        Simulator prefill = topology.prefills.stream().filter(p -> !p.state().recentRequests().isEmpty())
                .findFirst().orElseThrow();
        assertThat(prefillBody.path("bootstrap_host").asText()).isEqualTo("127.0.0.1");
        assertThat(prefillBody.path("bootstrap_port").asInt()).isEqualTo(prefill.bootstrapPort());
        assertThat(prefillBody.path("bootstrap_room").canConvertToLong()).isTrue();
    }
}
