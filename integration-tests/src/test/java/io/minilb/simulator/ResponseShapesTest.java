package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static io.minilb.simulator.TestHttp.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResponseShapesTest {
    private static PdPair pair;

    @BeforeAll
    static void startPair() {
        pair = PdPair.start(prefill -> prefill.modelName("tiny-llama"), decode -> decode.decodeMsPerToken(1));
    }

    @AfterAll
    static void stopPair() {
        pair.close();
    }

    @Test
    void generateStreamsCumulativeFramesEndingWithDone() {
        ObjectNode body = object().put("text", "stream me").put("stream", true);
        body.putObject("sampling_params").put("max_new_tokens", 4);

        PdPair.Answers answers = pair.send("/generate", pair.bootstrap(body, PdPair.newRoom()));

        assertThat(answers.decode().headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<String> frames = sseData(answers.decode().body());
        assertThat(frames).hasSize(5).last().isEqualTo("[DONE]");
        String expected = SimulatedModel.expectedText("stream me", 4);
        for (int i = 0; i < 4; i++) {
            JsonNode frame = json(frames.get(i));
            assertThat(frame.path("output_ids")).hasSize(i + 1);
            assertThat(expected).startsWith(frame.path("text").asText());
            assertThat(frame.at("/meta_info/finish_reason").isNull()).isEqualTo(i < 3);
        }
        assertThat(json(frames.get(3)).path("text").asText()).isEqualTo(expected);
        assertThat(sseData(answers.prefill().body())).hasSize(2).last().isEqualTo("[DONE]");
    }

    @Test
    void onlyThePrefillReportsThePromptsLogprobs() {
        ObjectNode body = object().put("text", "three word prompt").put("return_logprob", true).put("top_logprobs_num", 2);
        body.putObject("sampling_params").put("max_new_tokens", 5);

        PdPair.Answers answers = pair.send("/generate", pair.bootstrap(body, PdPair.newRoom()));

        JsonNode prefill = json(answers.prefill()).path("meta_info");
        assertThat(prefill.path("input_token_logprobs")).hasSize(3);
        assertThat(prefill.path("input_top_logprobs").get(0)).hasSize(2);
        JsonNode entry = prefill.path("input_token_logprobs").get(0);
        assertThat(entry.get(0).isNumber()).isTrue();
        assertThat(entry.get(2).isNull()).isTrue();
        JsonNode decode = json(answers.decode()).path("meta_info");
        assertThat(decode.path("input_token_logprobs")).isEmpty();
        assertThat(decode.path("output_token_logprobs")).hasSize(5);
        assertThat(decode.path("output_top_logprobs")).hasSize(5);
    }

    @Test
    void aStreamingPrefillCarriesTheInputLogprobsInItsFirstFrame() {
        ObjectNode body = object().put("text", "a b c d").put("return_logprob", true).put("stream", true);

        PdPair.Answers answers = pair.send("/generate", pair.bootstrap(body, PdPair.newRoom()));

        assertThat(json(sseData(answers.prefill().body()).get(0)).at("/meta_info/input_token_logprobs")).hasSize(4);
    }

    @Test
    void chatCompletionsAnswerAnOpenAiObject() {
        ObjectNode body = object().put("model", "asked-model").put("max_tokens", 6);
        body.putArray("messages").addObject().put("role", "user").put("content", "hello there");

        JsonNode chat = json(pair.send("/v1/chat/completions", pair.bootstrap(body, PdPair.newRoom())).decode());

        assertThat(chat.path("object").asText()).isEqualTo("chat.completion");
        assertThat(chat.path("model").asText()).isEqualTo("asked-model");
        assertThat(chat.path("id").asText()).isNotEmpty();
        assertThat(chat.path("created").asLong()).isPositive();
        JsonNode choice = chat.path("choices").get(0);
        assertThat(choice.at("/message/role").asText()).isEqualTo("assistant");
        assertThat(choice.at("/message/content").asText())
                .isEqualTo(SimulatedModel.expectedText(SimulatedModel.chatPrompt(List.of(ChatMessage.user("hello there"))), 6));
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        assertThat(chat.at("/usage/completion_tokens").asInt()).isEqualTo(6);
        assertThat(chat.at("/usage/total_tokens").asInt()).isEqualTo(chat.at("/usage/prompt_tokens").asInt() + 6);
    }

    @Test
    void chatCompletionsStreamRoleThenDeltasThenFinishReason() {
        ObjectNode body = object().put("max_completion_tokens", 3).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.putArray("messages").addObject().put("role", "user").put("content", "stream chat");

        List<String> frames = sseData(pair.send("/v1/chat/completions", pair.bootstrap(body, PdPair.newRoom())).decode().body());

        assertThat(frames).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = frames.subList(0, frames.size() - 1).stream().map(TestHttp::json).toList();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        StringBuilder content = new StringBuilder();
        chunks.forEach(chunk -> content.append(chunk.at("/choices/0/delta/content").asText("")));
        assertThat(content.toString())
                .isEqualTo(SimulatedModel.expectedText(SimulatedModel.chatPrompt(List.of(ChatMessage.user("stream chat"))), 3));
        assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(chunks.get(chunks.size() - 1).at("/usage/completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void completionsAnswerTextCompletionObjectsWholeAndStreamed() {
        ObjectNode body = object().put("prompt", "complete this").put("max_tokens", 5);
        JsonNode whole = json(pair.send("/v1/completions", pair.bootstrap(body, PdPair.newRoom())).decode());
        assertThat(whole.path("object").asText()).isEqualTo("text_completion");
        assertThat(whole.at("/choices/0/text").asText()).isEqualTo(SimulatedModel.expectedText("complete this", 5));
        assertThat(whole.path("model").asText()).isEqualTo("sim-model");

        body.put("stream", true);
        List<String> frames = sseData(pair.send("/v1/completions", pair.bootstrap(body, PdPair.newRoom())).decode().body());
        StringBuilder text = new StringBuilder();
        frames.subList(0, frames.size() - 1).forEach(frame -> text.append(json(frame).at("/choices/0/text").asText()));
        assertThat(text.toString()).isEqualTo(SimulatedModel.expectedText("complete this", 5));
        assertThat(frames).last().isEqualTo("[DONE]");
    }

    @Test
    void infoEndpointsAnswerLikeSglang() {
        assertThat(TestHttp.get(pair.prefill.url() + "/health").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(pair.prefill.url() + "/health").body()).isEmpty();
        assertThat(TestHttp.get(pair.decode.url() + "/health_generate").statusCode()).isEqualTo(200);

        JsonNode info = json(TestHttp.get(pair.prefill.url() + "/get_server_info"));
        assertThat(info.path("model_path").asText()).isEqualTo("tiny-llama");
        assertThat(info.path("disaggregation_mode").asText()).isEqualTo("prefill");
        assertThat(info.path("port").asInt()).isEqualTo(pair.prefill.port());
        assertThat(info.at("/internal_states/0").has("last_gen_throughput")).isTrue();
        assertThat(info.at("/internal_states/0/avg_spec_accept_length").isNull()).isTrue();

        JsonNode model = json(TestHttp.get(pair.prefill.url() + "/get_model_info"));
        assertThat(model.path("is_generation").asBoolean()).isTrue();
        JsonNode models = json(TestHttp.get(pair.prefill.url() + "/v1/models"));
        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.at("/data/0/id").asText()).isEqualTo("tiny-llama");
        assertThat(models.at("/data/0/owned_by").asText()).isEqualTo("sglang");
        assertThat(models.at("/data/0/max_model_len").asInt()).isPositive();

        HttpResponse<String> flushed = TestHttp.send(HttpRequest.newBuilder(URI.create(pair.decode.url() + "/flush_cache"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(flushed.statusCode()).isEqualTo(200);
        assertThat(flushed.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));

        assertThat(TestHttp.get(pair.decode.url() + "/no/such/path").statusCode()).isEqualTo(404);
        assertThat(TestHttp.get(pair.decode.url() + "/generate").statusCode()).isEqualTo(405);
        assertThat(pair.decode.state().requestCount("/health_generate")).isPositive();
    }
}
