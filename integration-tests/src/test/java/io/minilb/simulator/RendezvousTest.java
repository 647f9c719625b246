package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RendezvousTest extends SharedPdPairTest {

    private static ObjectNode generate(String text, int maxTokens, long room) {
        ObjectNode body = object().put("text", text);
        body.putObject("sampling_params").put("max_new_tokens", maxTokens);
        return pair.bootstrap(body, room);
    }

    @Test
    void decodeAnswersTheDeterministicTextOnceThePrefillSentTheKv() {
        long room = PdPair.newRoom();

        PdPair.Answers answers = pair.send("/generate", generate("The quick brown fox", 8, room));

        assertThat(answers.decode().statusCode()).isEqualTo(200);
        JsonNode decode = json(answers.decode());
        assertThat(decode.path("text").asText()).isEqualTo(SimulatedModel.expectedText("The quick brown fox", 8));
        assertThat(decode.path("output_ids")).hasSize(8);
        assertThat(decode.at("/meta_info/finish_reason/type").asText()).isEqualTo("length");
        assertThat(decode.at("/meta_info/finish_reason/length").asInt()).isEqualTo(8);
        assertThat(decode.at("/meta_info/prompt_tokens").asInt()).isEqualTo(4);
        assertThat(decode.at("/meta_info/completion_tokens").asInt()).isEqualTo(8);

        JsonNode prefill = json(answers.prefill());
        assertThat(answers.prefill().statusCode()).isEqualTo(200);
        assertThat(prefill.at("/meta_info/finish_reason/length").asInt()).isZero();
        assertThat(prefill.path("output_ids")).hasSize(1);

        assertThat(pair.prefill.state().rooms(RoomEvent.CLAIMED)).contains(room);
        assertThat(pair.prefill.state().rooms(RoomEvent.COMPLETED)).contains(room);
        assertThat(pair.decode.state().rooms(RoomEvent.COMPLETED)).contains(room);
    }

    @Test
    void rendezvousWorksWhicheverSideArrivesFirst() throws Exception {
        long decodeFirst = PdPair.newRoom();
        CompletableFuture<HttpResponse<String>> decode = TestHttp.post(pair.decode.url() + "/generate", generate("decode first", 3, decodeFirst));
        Thread.sleep(200);
        assertThat(decode).isNotDone();
        PdPair.join(TestHttp.post(pair.prefill.url() + "/generate", generate("decode first", 3, decodeFirst)));
        assertThat(json(PdPair.join(decode)).path("text").asText()).isEqualTo(SimulatedModel.expectedText("decode first", 3));

        long prefillFirst = PdPair.newRoom();
        CompletableFuture<HttpResponse<String>> prefill = TestHttp.post(pair.prefill.url() + "/generate", generate("prefill first", 3, prefillFirst));
        Thread.sleep(200);
        assertThat(prefill).isNotDone();
        assertThat(json(PdPair.join(TestHttp.post(pair.decode.url() + "/generate", generate("prefill first", 3, prefillFirst))))
                .path("text").asText()).isEqualTo(SimulatedModel.expectedText("prefill first", 3));
        assertThat(PdPair.join(prefill).statusCode()).isEqualTo(200);
    }

    @Test
    void batchItemsRendezvousSeparatelyAndAnswerAsAList() {
        long first = PdPair.newRoom();
        long second = PdPair.newRoom();
        ObjectNode body = object();
        body.putArray("text").add("first prompt").add("second prompt here");
        body.putObject("sampling_params").put("max_new_tokens", 4);
        body.putArray("bootstrap_host").add("127.0.0.1").add("127.0.0.1");
        body.putArray("bootstrap_port").add(pair.prefill.bootstrapPort()).add(pair.prefill.bootstrapPort());
        body.putArray("bootstrap_room").add(first).add(second);

        PdPair.Answers answers = pair.send("/generate", body);

        JsonNode decode = json(answers.decode());
        assertThat(decode.isArray()).isTrue();
        assertThat(decode.get(0).path("text").asText()).isEqualTo(SimulatedModel.expectedText("first prompt", 4));
        assertThat(decode.get(1).path("text").asText()).isEqualTo(SimulatedModel.expectedText("second prompt here", 4));
        assertThat(json(answers.prefill())).hasSize(2);
        assertThat(pair.prefill.state().rooms(RoomEvent.COMPLETED)).contains(first, second);
    }

    @Test
    void parallelChatSamplesUseConsecutiveRoomsAsSglangExpandsThem() {
        long room = PdPair.newRoom();
        PdPair.newRoom(); // reserve room + 1 for the second sample
        ObjectNode body = object().put("n", 2).put("max_tokens", 3);
        body.putArray("messages").addObject().put("role", "user").put("content", "twice");

        JsonNode chat = json(pair.send("/v1/chat/completions", pair.bootstrap(body, room)).decode());

        assertThat(chat.path("choices")).hasSize(2);
        assertThat(chat.at("/choices/1/index").asInt()).isEqualTo(1);
        assertThat(pair.prefill.state().rooms(RoomEvent.COMPLETED)).contains(room, room + 1);
    }

    @Test
    void inputIdsCountAsTokens() {
        ObjectNode body = object();
        body.putArray("input_ids").add(11).add(22).add(33);
        body.putObject("sampling_params").put("max_new_tokens", 2);

        JsonNode decode = json(pair.send("/generate", pair.bootstrap(body, PdPair.newRoom())).decode());

        assertThat(decode.at("/meta_info/prompt_tokens").asInt()).isEqualTo(3);
        assertThat(decode.path("text").asText()).isEqualTo(SimulatedModel.expectedText(List.of(11, 22, 33), 2));
    }

    @Test
    void aNullBootstrapPortMeansTheDecodesConfiguredDefault() {
        try (Simulator decode = SimulatorConfig.decode().bootstrapPort(pair.prefill.bootstrapPort()).start()) {
            ObjectNode body = generate("null port", 2, PdPair.newRoom());
            body.putNull("bootstrap_port");

            CompletableFuture<HttpResponse<String>> answer = TestHttp.post(decode.url() + "/generate", body);
            PdPair.join(TestHttp.post(pair.prefill.url() + "/generate", body));

            assertThat(PdPair.join(answer).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anIpv6BootstrapHostInBracketsIsContacted() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(InetAddress.getByName("::1").isReachable(200), "no IPv6 loopback");
        try (Simulator prefill = SimulatorConfig.prefill().host("::1").start()) {
            assertThat(prefill.urlHost()).isEqualTo("[::1]");
            ObjectNode body = generate("over ipv6", 2, PdPair.newRoom());
            body.put("bootstrap_host", prefill.urlHost()).put("bootstrap_port", prefill.bootstrapPort());

            CompletableFuture<HttpResponse<String>> answer = TestHttp.post(pair.decode.url() + "/generate", body);
            PdPair.join(TestHttp.post(prefill.url() + "/generate", body));

            assertThat(json(PdPair.join(answer)).path("text").asText()).isEqualTo(SimulatedModel.expectedText("over ipv6", 2));
        }
    }

    @Test
    void aDecodeRefusesKvComputedForAnotherPrompt() {
        long room = PdPair.newRoom();
        CompletableFuture<HttpResponse<String>> decode = TestHttp.post(pair.decode.url() + "/generate", generate("what the decode got", 2, room));
        PdPair.join(TestHttp.post(pair.prefill.url() + "/generate", generate("what the prefill got", 2, room)));

        HttpResponse<String> answer = PdPair.join(decode);
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(json(answer).path("message").asText()).contains("another prompt");
        assertThat(pair.decode.state().rooms(RoomEvent.FAILED)).contains(room);
    }

    @Test
    void aSecondPrefillRequestForARoomInFlightFails() {
        long room = PdPair.newRoom();
        CompletableFuture<HttpResponse<String>> first = TestHttp.post(pair.prefill.url() + "/generate", generate("dup", 1, room));
        CompletableFuture<HttpResponse<String>> second = TestHttp.post(pair.prefill.url() + "/generate", generate("dup", 1, room));
        HttpResponse<String> failed = first.applyToEither(second, answer -> answer).join();
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(json(failed).path("message").asText()).contains("already held");

        PdPair.join(TestHttp.post(pair.decode.url() + "/generate", generate("dup", 1, room)));
        assertThat(PdPair.join(first).statusCode() + PdPair.join(second).statusCode()).isEqualTo(700);
    }

    @Test
    void aDecodeFailsAtOnceWhenTheBootstrapServerIsUnreachable() {
        Simulator gone = SimulatorConfig.prefill().start();
        int deadPort = gone.bootstrapPort();
        gone.close();
        ObjectNode body = generate("nobody home", 2, PdPair.newRoom()).put("bootstrap_port", deadPort);

        HttpResponse<String> answer = PdPair.join(TestHttp.post(pair.decode.url() + "/generate", body));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(json(answer).path("message").asText()).contains("could not reach bootstrap server");
    }
}
