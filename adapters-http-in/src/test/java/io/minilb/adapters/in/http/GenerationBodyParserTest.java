package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerationBodyParserTest {

    @Test
    void readsTheEndpointAndTheFlags() throws Exception {
        GenerationRequest request = parse(Endpoint.COMPLETIONS,
                "{\"prompt\": \"x\", \"stream\": true, \"return_logprob\": true}");

        assertThat(request.endpoint()).isEqualTo(Endpoint.COMPLETIONS);
        assertThat(request.stream()).isTrue();
        assertThat(request.returnLogprob()).isTrue();
    }

    @Test
    void missingOrNullFlagsAreFalse() throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, "{\"text\": \"x\", \"stream\": null}");

        assertThat(request.stream()).isFalse();
        assertThat(request.returnLogprob()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"text\": \"x\"}                    | -1",
        "{\"input_ids\": [1, 2]}              | -1",
        "{\"text\": [\"a\", \"b\"]}           | 2",
        "{\"input_ids\": [[1], [2], [3]]}     | 3",
        "{\"text\": [\"a\"]}                  | 1",
        "{\"input_embeds\": [[0.1]]}          | -1"
    })
    void detectsGenerateBatches(String body, int expectedBatchSize) throws Exception {
        GenerationRequest request = parse(Endpoint.GENERATE, body);

        assertThat(request.batchSize().orElse(-1)).isEqualTo(expectedBatchSize);
    }

    @Test
    void aListTextOnAnOpenAiEndpointIsNotABatch() throws Exception {
        assertThat(parse(Endpoint.CHAT_COMPLETIONS,
                "{\"messages\": [{\"role\": \"user\"}], \"text\": [\"a\", \"b\"]}").isBatch()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"text\": \"x\"                 | request body is not valid JSON",
        "{\"text\": \"x\"} trailing       | request body is not valid JSON",
        "''                               | request body is empty",
        "[{\"text\": \"x\"}]              | request body must be a JSON object, got ARRAY",
        "\"text\"                         | request body must be a JSON object, got STRING",
        "{\"text\": []}                   | \"text\" must not be an empty list",
        "{\"input_ids\": []}              | \"input_ids\" must not be an empty list",
        "{\"text\": [\"a\", 1]}           | \"text\" must be a string or a list of strings",
        "{\"input_ids\": [[1], 2]}        | \"input_ids\" must be a list of token ids or a list of such lists",
        "{\"text\": \"x\", \"stream\": 2} | \"stream\" must be a boolean (true or false), got 2",
        "{\"return_logprob\": \"sure\"}   | \"return_logprob\" must be a boolean (true or false), got \"sure\"",
        "{\"stream\": [true]}            | \"stream\" must be a boolean (true or false), got a JSON array"
    })
    void refusesBodiesNoBackendShouldSee(String body, String expectedMessage) {
        assertThatThrownBy(() -> parse(Endpoint.GENERATE, body))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(expectedMessage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "true | true", "1 | true", "1.0 | true", "\"yes\" | true", "\"On\" | true", "\"T\" | true", "\"1\" | true",
        "false | false", "0 | false", "\"no\" | false", "\"OFF\" | false", "\"f\" | false", "null | false"
    })
    void flagsAreReadAsSglangReadsThem(String value, boolean expected) throws InvalidRequestException {
        GenerationRequest request = parse(Endpoint.GENERATE,
                "{\"text\": \"x\", \"stream\": " + value + ", \"return_logprob\": " + value + "}");

        assertThat(request.stream()).isEqualTo(expected);
        assertThat(request.returnLogprob()).isEqualTo(expected);
    }

    @Test
    void aLongRefusedValueIsNotEchoedWhole() {
        String huge = "x".repeat(100_000);

        assertThatThrownBy(() -> parse(Endpoint.GENERATE, "{\"text\": \"x\", \"stream\": \"" + huge + "\"}"))
                .hasMessageEndingWith("... (100002 characters)")
                .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void malformedJsonIsReportedWithItsPosition() {
        assertThatThrownBy(() -> parse(Endpoint.GENERATE, "{\"text\": x}"))
                .hasMessageContaining("line 1, column 10");
    }

    private static GenerationRequest parse(Endpoint endpoint, String body) throws InvalidRequestException {
        return GenerationBodyParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8));
    }
}
