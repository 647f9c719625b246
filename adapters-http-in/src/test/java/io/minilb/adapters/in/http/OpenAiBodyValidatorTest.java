package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.application.generation.Endpoint;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Chat and completion bodies against SGLang's OpenAI request models and the sampling ranges they end in. */
class OpenAiBodyValidatorTest {

    private static final String MESSAGES = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"messages\": \"hi\"}                | \"messages\" must be a non-empty list of message objects",
        "{}                                    | \"messages\" must be a non-empty list of message objects",
        "{\"messages\": null}                  | \"messages\" must be a non-empty list of message objects",
        "{\"messages\": []}                    | \"messages\" must be a non-empty list of message objects",
        "{\"messages\": [\"hi\"]}              | \"messages[0]\" must be an object with a string \"role\"",
        "{\"messages\": [{\"role\": \"user\"}, {\"content\": \"x\"}]} "
                + "| \"messages[1]\" must be an object with a string \"role\"",
        "{\"messages\": [{\"role\": 1}]}       | \"messages[0]\" must be an object with a string \"role\"",
    })
    void refusesChatMessagesSglangRefuses(String body, String message) {
        assertRefused(Endpoint.CHAT_COMPLETIONS, body, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"temperature\": -1                 | \"temperature\" must be a finite number of at least 0, got -1",
        "\"temperature\": [1]                | \"temperature\" must be a number",
        "\"top_p\": 0                        | \"top_p\" must be a number in (0, 1], got 0",
        "\"temperature\": 1, \"top_k\": 0    | \"top_k\" must be -1 (no limit) or a number of at least 1, got 0",
        "\"min_p\": -0.1                     | \"min_p\" must be a number in [0, 1], got -0.1",
        "\"frequency_penalty\": 2.5          | \"frequency_penalty\" must be a number in [-2, 2], got 2.5",
        "\"presence_penalty\": {}            | \"presence_penalty\" must be a number",
        "\"repetition_penalty\": 3           | \"repetition_penalty\" must be a number in [0, 2], got 3",
        "\"max_tokens\": -5                  | \"max_tokens\" must be a number of at least 0, got -5",
        "\"max_completion_tokens\": -1       | \"max_completion_tokens\" must be a number of at least 0, got -1",
        "\"max_completion_tokens\": -1, \"max_tokens\": -2 "
                + "| \"max_completion_tokens\" must be a number of at least 0, got -1",
        "\"max_tokens\": 1.5                 | \"max_tokens\" must be a whole number, got 1.5",
        "\"n\": 1.5                          | \"n\" must be a whole number, got 1.5",
        "\"min_tokens\": -1                  | \"min_tokens\" must be a number of at least 0, got -1",
        "\"min_tokens\": 10, \"max_tokens\": 5 | \"min_tokens\" must not be above \"max_tokens\" (5), got 10",
    })
    void refusesChatSamplingSglangRefuses(String fields, String message) {
        assertRefused(Endpoint.CHAT_COMPLETIONS, "{" + MESSAGES + ", " + fields + "}", message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"temperature\": null, \"top_p\": null, \"max_tokens\": null",
        "\"temperature\": \"0.5\", \"n\": \"2\"", // pydantic may read numeric strings: the server decides
        "\"top_k\": 0", // the model's default temperature may be greedy, and then top_k is ignored
        "\"temperature\": 0, \"top_k\": 0",
        "\"max_tokens\": 0, \"n\": 2.0, \"top_k\": -1, \"temperature\": 1",
        "\"max_completion_tokens\": -1, \"max_tokens\": 10", // which one wins differs between SGLang releases
        "\"max_completion_tokens\": 0, \"max_tokens\": 10, \"min_tokens\": 10",
        "\"min_tokens\": 10, \"max_completion_tokens\": 20, \"max_tokens\": 5", // ambiguous maximum: left to SGLang
        "\"logprobs\": true, \"top_logprobs\": 5, \"tools\": [], \"future_knob\": {\"a\": [1]}",
    })
    void passesChatBodiesSglangAccepts(String fields) throws Exception {
        assertAccepted(Endpoint.CHAT_COMPLETIONS, "{" + MESSAGES + ", " + fields + "}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                              | \"prompt\" must be a string, a list of strings, a list of token ids or a list of such lists",
        "{\"prompt\": 5}                 | \"prompt\" must be a string, a list of strings, a list of token ids or a list of such lists",
        "{\"prompt\": {\"a\": 1}}        | \"prompt\" must be a string, a list of strings, a list of token ids or a list of such lists",
        "{\"prompt\": [1, \"a\"]}        | \"prompt\" must be a string, a list of strings, a list of token ids or a list of such lists",
        "{\"prompt\": [[1], [\"a\"]]}    | \"prompt\" must be a string, a list of strings, a list of token ids or a list of such lists",
        "{\"prompt\": [1.5]}             | \"prompt\" must be a string, a list of strings, a list of token ids or a list of such lists",
        "{\"prompt\": \"\"}              | \"prompt\" must not be empty",
        "{\"prompt\": []}                | \"prompt\" must not be empty",
        "{\"prompt\": [\"\", \"\"]}      | \"prompt\" must not be empty",
        "{\"prompt\": [[], []]}          | \"prompt\" must not be empty",
        "{\"prompt\": \"x\", \"max_tokens\": -1}  | \"max_tokens\" must be a number of at least 0, got -1",
        "{\"prompt\": \"x\", \"top_p\": 7}        | \"top_p\" must be a number in (0, 1], got 7",
    })
    void refusesCompletionsSglangRefuses(String body, String message) {
        assertRefused(Endpoint.COMPLETIONS, body, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"prompt\": \"x\"}",
        "{\"prompt\": \" \"}",
        "{\"prompt\": [\"a\", \"\"]}",
        "{\"prompt\": [1, 2]}",
        "{\"prompt\": [1, 2.0, true, \"3\"]}", // pydantic's lax ints
        "{\"prompt\": [[1], [2, 3]]}",
        "{\"prompt\": [[1], []]}",
        "{\"prompt\": \"x\", \"max_tokens\": 16, \"echo\": true, \"logprobs\": 2, \"suffix\": \"s\"}",
    })
    void passesCompletionBodiesSglangAccepts(String body) throws Exception {
        assertAccepted(Endpoint.COMPLETIONS, body);
    }

    private static void assertRefused(Endpoint endpoint, String body, String message) {
        assertThatThrownBy(() -> GenerationBodyParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(message);
    }

    private static void assertAccepted(Endpoint endpoint, String body) throws Exception {
        assertThat(GenerationBodyParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8)).endpoint())
                .isEqualTo(endpoint);
    }
}
