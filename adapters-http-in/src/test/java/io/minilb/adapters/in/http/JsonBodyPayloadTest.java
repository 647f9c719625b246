package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.PrefillWorker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class JsonBodyPayloadTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final PrefillWorker PREFILL = PrefillWorker.of("http://10.0.0.7:30000", 8998);
    private static final PrefillWorker PREFILL_WITHOUT_PORT = PrefillWorker.withoutBootstrapPort("http://10.0.0.7:30000");

    @Test
    void singleTextGetsScalarFieldsAndKeepsTheRest() throws Exception {
        String body = """
                {"text": "The capital of France is", "sampling_params": {"temperature": 0, "max_new_tokens": 8},
                 "stream": false, "rid": "r-1"}""";

        JsonNode rendered = renderSingle(Endpoint.GENERATE, body, 42);

        assertThat(rendered).isEqualTo(PLAIN.readTree("""
                {"text": "The capital of France is", "sampling_params": {"temperature": 0, "max_new_tokens": 8},
                 "stream": false, "rid": "r-1",
                 "bootstrap_host": "10.0.0.7", "bootstrap_port": 8998, "bootstrap_room": 42}"""));
    }

    @Test
    void flatInputIdsAreASingleRequest() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"input_ids\": [1, 2, 3]}");

        assertThat(request.isBatch()).isFalse();
        assertThat(render(request, BootstrapAssignment.single(PREFILL, new BootstrapRoom(7)))).isEqualTo(PLAIN.readTree(
                "{\"input_ids\": [1, 2, 3], \"bootstrap_host\": \"10.0.0.7\", \"bootstrap_port\": 8998, \"bootstrap_room\": 7}"));
    }

    @Test
    void textBatchGetsOneEntryPerItem() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"text\": [\"a\", \"b\", \"c\"]}");

        JsonNode rendered = render(request, BootstrapAssignment.batch(PREFILL, rooms(11, 12, 13)));

        assertThat(request.batchSize()).hasValue(3);
        assertThat(rendered).isEqualTo(PLAIN.readTree("""
                {"text": ["a", "b", "c"],
                 "bootstrap_host": ["10.0.0.7", "10.0.0.7", "10.0.0.7"],
                 "bootstrap_port": [8998, 8998, 8998],
                 "bootstrap_room": [11, 12, 13]}"""));
    }

    @Test
    void inputIdsBatchGetsOneEntryPerItem() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"input_ids\": [[1, 2], [3]]}");

        JsonNode rendered = render(request, BootstrapAssignment.batch(PREFILL, rooms(5, 6)));

        assertThat(request.batchSize()).hasValue(2);
        assertThat(rendered.get("bootstrap_room")).isEqualTo(PLAIN.readTree("[5, 6]"));
        assertThat(rendered.get("bootstrap_host")).isEqualTo(PLAIN.readTree("[\"10.0.0.7\", \"10.0.0.7\"]"));
        assertThat(rendered.get("input_ids")).isEqualTo(PLAIN.readTree("[[1, 2], [3]]"));
    }

    @Test
    void aBatchOfOneStillGetsLists() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"text\": [\"only\"]}");

        JsonNode rendered = render(request, BootstrapAssignment.batch(PREFILL, rooms(9)));

        assertThat(request.batchSize()).hasValue(1);
        assertThat(rendered.get("bootstrap_host")).isEqualTo(PLAIN.readTree("[\"10.0.0.7\"]"));
        assertThat(rendered.get("bootstrap_port")).isEqualTo(PLAIN.readTree("[8998]"));
        assertThat(rendered.get("bootstrap_room")).isEqualTo(PLAIN.readTree("[9]"));
    }

    @Test
    void chatCompletionGetsScalarFieldsEvenWithSeveralSamples() throws Exception {
        String body = """
                {"model": "m", "messages": [{"role": "user", "content": "hi"}], "n": 2, "stream": true}""";

        JsonNode rendered = renderSingle(Endpoint.CHAT_COMPLETIONS, body, 3);

        assertThat(rendered).isEqualTo(PLAIN.readTree("""
                {"model": "m", "messages": [{"role": "user", "content": "hi"}], "n": 2, "stream": true,
                 "bootstrap_host": "10.0.0.7", "bootstrap_port": 8998, "bootstrap_room": 3}"""));
    }

    @Test
    void completionWithAListPromptIsNotABatch() throws Exception {
        GenerationRequest request = parse(Endpoint.COMPLETIONS, "{\"model\": \"m\", \"prompt\": [\"a\", \"b\"]}");

        JsonNode rendered = render(request, BootstrapAssignment.single(PREFILL, new BootstrapRoom(4)));

        assertThat(request.isBatch()).isFalse();
        assertThat(rendered.get("bootstrap_room").asLong()).isEqualTo(4);
        assertThat(rendered.get("prompt")).isEqualTo(PLAIN.readTree("[\"a\", \"b\"]"));
    }

    @Test
    void clientSuppliedBootstrapFieldsAreReplacedAndTheRestKeptByteForByte() throws Exception {
        String body = """
                {"bootstrap_host": "evil", "text": "x", "bootstrap_room": 1, "bootstrap_port": 1}""";

        String rendered = renderSingleText(Endpoint.GENERATE, body, 77);

        assertThat(rendered).isEqualTo(
                "{\"text\": \"x\",\"bootstrap_host\":\"10.0.0.7\",\"bootstrap_port\":8998,\"bootstrap_room\":77}");
    }

    @Test
    void clientSuppliedScalarsBecomeListsInABatch() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE,
                "{\"text\": [\"a\", \"b\"], \"bootstrap_room\": 1, \"bootstrap_host\": \"evil\"}");

        JsonNode rendered = render(request, BootstrapAssignment.batch(PREFILL, rooms(20, 21)));

        assertThat(rendered.get("bootstrap_room")).isEqualTo(PLAIN.readTree("[20, 21]"));
        assertThat(rendered.get("bootstrap_host")).isEqualTo(PLAIN.readTree("[\"10.0.0.7\", \"10.0.0.7\"]"));
    }

    @Test
    void missingBootstrapPortIsJsonNullNeverInvented() throws Exception {
        GenerationRequest single = parse(Endpoint.GENERATE, "{\"text\": \"x\"}");
        GenerationRequest batch = parse(Endpoint.GENERATE, "{\"text\": [\"x\", \"y\"]}");

        JsonNode singleRendered = render(single, BootstrapAssignment.single(PREFILL_WITHOUT_PORT, new BootstrapRoom(1)));
        JsonNode batchRendered = render(batch, BootstrapAssignment.batch(PREFILL_WITHOUT_PORT, rooms(1, 2)));

        assertThat(singleRendered.has("bootstrap_port")).isTrue();
        assertThat(singleRendered.get("bootstrap_port").isNull()).isTrue();
        assertThat(batchRendered.get("bootstrap_port")).isEqualTo(PLAIN.readTree("[null, null]"));
    }

    @Test
    void ipv6HostKeepsItsBrackets() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"text\": \"x\"}");

        JsonNode rendered = render(request,
                BootstrapAssignment.single(PrefillWorker.of("http://[::1]:30000", 8998), new BootstrapRoom(1)));

        assertThat(rendered.get("bootstrap_host").asText()).isEqualTo("[::1]");
    }

    @Test
    void numbersKeepTheirExactText() throws Exception {
        String body = "{\"text\":\"x\",\"seed\":123456789012345678901234567890,"
                + "\"temperature\":0.1000000000000000055511151231257827,\"top_p\":1.0,\"top_k\":-1,"
                + "\"max_new_tokens\":9007199254740993,\"frequency_penalty\":0.0}";

        String rendered = renderSingleText(Endpoint.GENERATE, body, Long.MAX_VALUE);

        assertThat(rendered).isEqualTo(body.substring(0, body.length() - 1)
                + ",\"bootstrap_host\":\"10.0.0.7\",\"bootstrap_port\":8998,\"bootstrap_room\":9223372036854775807}");
    }

    @Test
    void renderingAgainReplacesThePreviousAssignment() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"text\": \"x\"}");

        render(request, BootstrapAssignment.single(PREFILL, new BootstrapRoom(1)));
        JsonNode second = render(request, BootstrapAssignment.single(PREFILL_WITHOUT_PORT, new BootstrapRoom(2)));

        assertThat(second.get("bootstrap_room").asLong()).isEqualTo(2);
        assertThat(second.get("bootstrap_port").isNull()).isTrue();
    }

    private static JsonNode renderSingle(Endpoint endpoint, String body, long room) throws Exception {
        return PLAIN.readTree(renderSingleText(endpoint, body, room));
    }

    private static String renderSingleText(Endpoint endpoint, String body, long room) throws Exception {
        byte[] rendered = parse(endpoint, body).payload()
                .renderWith(BootstrapAssignment.single(PREFILL, new BootstrapRoom(room)));
        return new String(rendered, StandardCharsets.UTF_8);
    }

    private static JsonNode render(GenerationRequest request, BootstrapAssignment assignment) throws Exception {
        return PLAIN.readTree(request.payload().renderWith(assignment));
    }

    private static GenerationRequest parse(Endpoint endpoint, String body) throws InvalidRequestException {
        return GenerationBodyParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<BootstrapRoom> rooms(long... values) {
        return LongStream.of(values).mapToObj(BootstrapRoom::new).toList();
    }
}
