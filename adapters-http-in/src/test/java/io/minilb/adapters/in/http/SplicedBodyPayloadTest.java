package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.generation.Endpoint;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.PrefillWorker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplicedBodyPayloadTest {

    private static final BootstrapAssignment ROOM_5 =
            BootstrapAssignment.single(PrefillWorker.of("http://10.0.0.7:30000", 8998), new BootstrapRoom(5));
    private static final String FIELDS = "\"bootstrap_host\":\"10.0.0.7\",\"bootstrap_port\":8998,\"bootstrap_room\":5";

    @Test
    void keepsNumbersAndSpacingAsTheClientWroteThem() {
        assertThat(render(" {\n  \"text\" : \"x\",\n  \"temperature\": 1e999999999 ,\"top_p\":1.00 }\n"))
                .isEqualTo(" {\n  \"text\" : \"x\",\n  \"temperature\": 1e999999999 ,\"top_p\":1.00 ," + FIELDS + "}\n");
    }

    @Test
    void cutsTheClientsBootstrapMembersWhereverTheyAre() {
        assertThat(render("{\"bootstrap_room\": [1, 2], \"text\": \"x\", \"bootstrap_host\": {\"a\": \"}\"}}"))
                .isEqualTo("{\"text\": \"x\"," + FIELDS + "}");
        assertThat(render("{\"bootstrap_port\": 1}")).isEqualTo("{" + FIELDS + "}");
    }

    @Test
    void leavesNestedFieldsOfTheSameNameAlone() {
        assertThat(render("{\"sampling_params\": {\"bootstrap_room\": 1}}"))
                .isEqualTo("{\"sampling_params\": {\"bootstrap_room\": 1}," + FIELDS + "}");
    }

    @Test
    void anEmptyObjectGetsOnlyTheFields() {
        assertThat(render("{ }")).isEqualTo("{ " + FIELDS + "}");
    }

    @Test
    void rendersEachAttemptFromTheClientsBody() {
        var payload = SplicedBodyPayload.of(bytes("{\"text\": \"x\"}")).orElseThrow();
        payload.renderWith(ROOM_5);

        String second = new String(payload.renderWith(BootstrapAssignment.batch(
                PrefillWorker.withoutBootstrapPort("http://h:1"), List.of(new BootstrapRoom(1), new BootstrapRoom(2)))),
                StandardCharsets.UTF_8);

        assertThat(second).isEqualTo("{\"text\": \"x\",\"bootstrap_host\":[\"h\",\"h\"],\"bootstrap_port\":[null,null],"
                + "\"bootstrap_room\":[1,2]}");
    }

    @Test
    void aBodyInUtf16HasNoByteOffsetsSoTheTreeRendersIt() throws Exception {
        byte[] utf16 = "{\"text\": \"x\"}".getBytes(StandardCharsets.UTF_16BE);

        assertThat(SplicedBodyPayload.of(utf16)).isEmpty();
        assertThat(GenerationBodyParser.parse(Endpoint.GENERATE, utf16).payload())
                .isInstanceOf(JsonBodyPayload.class);
    }

    private static String render(String body) {
        return new String(SplicedBodyPayload.of(bytes(body)).orElseThrow().renderWith(ROOM_5), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
