package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.PrefillWorker;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** /generate bodies against SGLang's GenerateReqInput and SamplingParams rules. */
class GenerateBodyValidatorTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"text\": {\"a\": 1}}                   | \"text\" must be a string or a list of strings",
        "{\"text\": 5}                            | \"text\" must be a string or a list of strings",
        "{\"text\": [\"a\", [\"b\"]]}             | \"text\" must be a string or a list of strings",
        "{\"input_ids\": [[]]}                    | \"input_ids[0]\" must not be an empty list",
        "{\"input_ids\": [[1], []]}               | \"input_ids[1]\" must not be an empty list",
        "{\"input_ids\": [\"a\"]}                 | \"input_ids\" must be a list of token ids or a list of such lists",
        "{\"input_ids\": [1.5]}                   | \"input_ids\" must be a list of token ids or a list of such lists",
        "{\"input_ids\": \"1 2\"}                 | \"input_ids\" must be a list of token ids or a list of such lists",
        "{\"input_ids\": [[1], [2, \"x\"]]}       | \"input_ids\" must be a list of token ids or a list of such lists",
        "{\"input_ids\": [1, [2]]}                | \"input_ids\" must be a list of token ids or a list of such lists",
        "{\"input_ids\": [9223372036854775808]}   | \"input_ids\" must hold token ids within 64 bits, got 9223372036854775808",
        "{}                                       | one of \"text\", \"input_ids\" or \"input_embeds\" is required",
        "{\"text\": null, \"input_ids\": null}    | one of \"text\", \"input_ids\" or \"input_embeds\" is required",
        "{\"text\": \"x\", \"input_ids\": [1], \"input_embeds\": [[0.1]]} "
                + "| \"text\", \"input_ids\" and \"input_embeds\" must not all be given",
        "{\"input_embeds\": []}                   | \"input_embeds\" must not be empty",
        "{\"input_embeds\": [[]]}                 | \"input_embeds\" must not be empty",
        "{\"input_embeds\": [0.1, 0.2]}           "
                + "| \"input_embeds\" must be a list of embeddings (lists of numbers) or a list of such lists",
    })
    void refusesPromptsSglangRefuses(String body, String message) {
        assertRefused(body, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"max_new_tokens\": -1}        | \"sampling_params.max_new_tokens\" must be a number of at least 0, got -1",
        "{\"max_new_tokens\": \"10\"}    | \"sampling_params.max_new_tokens\" must be a number of at least 0",
        "{\"min_new_tokens\": -1}        | \"sampling_params.min_new_tokens\" must be a number of at least 0, got -1",
        "{\"temperature\": -0.5}         | \"sampling_params.temperature\" must be a finite number of at least 0, got -0.5",
        "{\"temperature\": 1e400}        | \"sampling_params.temperature\" must be a finite number of at least 0, got 1E+400",
        "{\"temperature\": \"hot\"}      | \"sampling_params.temperature\" must be a finite number of at least 0",
        "{\"top_p\": 0}                  | \"sampling_params.top_p\" must be a number in (0, 1], got 0",
        "{\"top_p\": 1.01}               | \"sampling_params.top_p\" must be a number in (0, 1], got 1.01",
        "{\"top_p\": false}              | \"sampling_params.top_p\" must be a number in (0, 1], got false",
        "{\"temperature\": 0.7, \"top_k\": 0}  "
                + "| \"sampling_params.top_k\" must be -1 (no limit) or a number of at least 1, got 0",
        "{\"temperature\": 0.7, \"top_k\": -2} "
                + "| \"sampling_params.top_k\" must be -1 (no limit) or a number of at least 1, got -2",
        "{\"min_p\": 1.5}                | \"sampling_params.min_p\" must be a number in [0, 1], got 1.5",
        "{\"frequency_penalty\": -2.5}   | \"sampling_params.frequency_penalty\" must be a number in [-2, 2], got -2.5",
        "{\"presence_penalty\": 3}       | \"sampling_params.presence_penalty\" must be a number in [-2, 2], got 3",
        "{\"repetition_penalty\": 2.5}   | \"sampling_params.repetition_penalty\" must be a number in [0, 2], got 2.5",
        "{\"repetition_penalty\": -0.1}  | \"sampling_params.repetition_penalty\" must be a number in [0, 2], got -0.1",
        "{\"min_new_tokens\": 10, \"max_new_tokens\": 5} "
                + "| \"sampling_params.min_new_tokens\" must not be above \"sampling_params.max_new_tokens\" (5), got 10",
        "{\"n\": \"2\"}                  | \"sampling_params.n\" must be a number",
        "{\"regex\": \"a+\", \"ebnf\": \"root ::= x\"} "
                + "| \"sampling_params\" may set only one of \"json_schema\", \"regex\" and \"ebnf\"",
    })
    void refusesSamplingParamsSglangRefuses(String params, String message) {
        assertRefused("{\"text\": \"x\", \"sampling_params\": " + params + "}", message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"greedy\"                  | \"sampling_params\" must be an object",
        "[]                          | \"sampling_params\" must be an object or a non-empty list of objects",
        "[{}, 3]                     | \"sampling_params[1]\" must be an object",
        "[{}, {\"top_p\": 2}]        | \"sampling_params[1].top_p\" must be a number in (0, 1], got 2",
    })
    void refusesSamplingParamsOfTheWrongShape(String params, String message) {
        assertRefused("{\"text\": [\"a\", \"b\"], \"sampling_params\": " + params + "}", message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"text\": \"\"}",
        "{\"text\": \"x\", \"input_ids\": []}", // text wins; SGLang only checks input_ids' type then
        "{\"text\": \"x\", \"input_ids\": [[]]}",
        "{\"input_ids\": [1, 2], \"input_embeds\": [[0.1]]}",
        "{\"input_ids\": [1, true]}", // a Python bool is an int
        "{\"input_ids\": [9223372036854775807]}",
        "{\"input_embeds\": [[0.1, 0.2], [0.3, 0.4]]}",
        "{\"text\": \"x\", \"sampling_params\": null}",
        "{\"text\": \"x\", \"sampling_params\": {\"max_new_tokens\": null, \"temperature\": null, \"top_k\": null}}",
        "{\"text\": \"x\", \"sampling_params\": {\"max_new_tokens\": 0, \"min_new_tokens\": 0}}",
        "{\"text\": \"x\", \"sampling_params\": {\"min_new_tokens\": 500}}", // the maximum may come from the server
        "{\"text\": \"x\", \"sampling_params\": {\"temperature\": 0, \"top_k\": 0}}", // greedy: top_k is ignored
        "{\"text\": \"x\", \"sampling_params\": {\"top_k\": 0}}", // the server's default temperature may be greedy
        "{\"text\": \"x\", \"sampling_params\": {\"temperature\": 1, \"top_k\": -1}}",
        "{\"text\": \"x\", \"sampling_params\": {\"temperature\": 2.5, \"top_k\": 1.5, \"top_p\": 1, \"min_p\": 0}}",
        "{\"text\": \"x\", \"sampling_params\": {\"frequency_penalty\": -2, \"presence_penalty\": 2}}",
        "{\"text\": \"x\", \"sampling_params\": {\"repetition_penalty\": 0}}", // earlier SGLang releases take 0
        "{\"text\": \"x\", \"sampling_params\": {\"n\": 0, \"temperature\": true}}", // verify() checks neither
        "{\"text\": \"x\", \"sampling_params\": {\"regex\": \"a+\", \"ebnf\": null, \"stop\": [\"\\n\"]}}",
        "{\"text\": \"x\", \"sampling_params\": {\"future_knob\": [1, {\"a\": 2}]}, \"lora_path\": \"l\"}",
    })
    void passesWhatSglangAccepts(String body) {
        assertThat(parse(body).endpoint()).isEqualTo(Endpoint.GENERATE);
    }

    @Test
    void anAcceptedBodyIsForwardedUnchanged() throws Exception {
        String body = """
                {"text": "x", "sampling_params": {"temperature": 0.70, "top_p": 1.0, "max_new_tokens": 16,
                 "custom_params": {"k": [1, 2.50]}}, "unknown": {"nested": [true, null]}}""";

        byte[] rendered = parse(body).payload().renderWith(
                BootstrapAssignment.single(PrefillWorker.of("http://p:1", 2), new BootstrapRoom(3)));

        assertThat(new String(rendered, StandardCharsets.UTF_8)).isEqualTo(body.substring(0, body.length() - 1)
                + ",\"bootstrap_host\":\"p\",\"bootstrap_port\":2,\"bootstrap_room\":3}");
        assertThat(PLAIN.readTree(rendered).get("sampling_params")).isEqualTo(PLAIN.readTree(body).get("sampling_params"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"text\": \"x\", \"input_ids\": [[1], [2]]}              | -1", // SGLang uses text
        "{\"input_ids\": [[1], [2]], \"input_embeds\": [[[0.1]]]}  | 2",
        "{\"input_embeds\": [[[0.1]], [[0.2]], [[0.3]]]}           | 3",
        "{\"text\": null, \"input_ids\": [[1], [2]]}                | 2",
    })
    void theBatchIsTheInputSglangUses(String body, int expectedBatchSize) {
        assertThat(parse(body).batchSize().orElse(-1)).isEqualTo(expectedBatchSize);
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> GenerationBodyParser.parse(Endpoint.GENERATE, body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(message);
    }

    private static GenerationRequest parse(String body) {
        try {
            return GenerationBodyParser.parse(Endpoint.GENERATE, body.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRequestException e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }
}
