package io.minilb.simulator;

import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ValidationTest extends SharedPdPairTest {

    /** Both servers must reject the body at once with 400 and an SGLang error naming the problem. */
    private static void assertRejected(String path, ObjectNode body, String reason) {
        PdPair.Answers answers = pair.send(path, body);
        for (HttpResponse<String> answer : List.of(answers.prefill(), answers.decode())) {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(json(answer).path("object").asText()).isEqualTo("error");
            assertThat(json(answer).path("message").asText()).contains(reason);
        }
    }

    private static ObjectNode valid(Consumer<ObjectNode> change) {
        ObjectNode body = pair.bootstrap(object().put("text", "hello"), PdPair.newRoom());
        change.accept(body);
        return body;
    }

    @Test
    void aMissingRoomIsRejected() {
        assertRejected("/generate", valid(body -> body.remove("bootstrap_room")), "bootstrap_room");
        assertRejected("/v1/completions", valid(body -> body.put("prompt", "x").remove("bootstrap_room")), "bootstrap_room");
    }

    @Test
    void aMissingHostIsRejected() {
        assertRejected("/generate", valid(body -> body.remove("bootstrap_host")), "bootstrap_host");
    }

    @Test
    void aRoomOutsideTheSignedLongRangeIsRejected() {
        assertRejected("/generate", valid(body -> body.put("bootstrap_room", -1)), "bootstrap_room");
        assertRejected("/generate", valid(body -> body.put("bootstrap_room", new BigInteger("9223372036854775808"))), "bootstrap_room");
    }

    @Test
    void aBatchNeedsListValuedBootstrapFields() {
        assertRejected("/generate", valid(body -> body.putArray("text").add("a").add("b")), "as a list");
    }

    @Test
    void aBatchNeedsOneRoomPerPrompt() {
        assertRejected("/generate", valid(body -> {
            body.putArray("text").add("a").add("b");
            body.putArray("bootstrap_host").add("127.0.0.1").add("127.0.0.1");
            body.putArray("bootstrap_room").add(1);
        }), "entries for 2 prompts");
    }

    @Test
    void aRequestWithoutPromptIsRejected() {
        assertRejected("/generate", valid(body -> body.remove("text")), "text or input_ids");
        assertRejected("/v1/chat/completions", valid(body -> body.remove("text")), "messages");
    }

    @Test
    void rejectedRequestsAreStillRecorded() {
        ObjectNode body = valid(body1 -> body1.remove("bootstrap_room"));
        pair.send("/generate", body);

        assertThat(pair.decode.state().recentRequests()).anySatisfy(recorded -> assertThat(recorded.body()).isEqualTo(body));
    }
}
