package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.application.generation.Endpoint;
import io.minilb.domain.selection.RoutingContext;
import io.undertow.util.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromptPrefixTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GENERATE         | {\"text\": \"Hello there\"}                                    | Hello there",
        "GENERATE         | {\"text\": [\"first\", \"second\"]}                            | first",
        "COMPLETIONS      | {\"prompt\": \"Once upon\"}                                    | Once upon",
        "CHAT_COMPLETIONS | {\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hi\"}]}]} | Be brief.\\nHi\\n"
    })
    void theRoutingContextCarriesThePromptText(Endpoint endpoint, String body, String expected) throws Exception {
        RoutingContext routing = parse(endpoint, body, Optional.empty());

        assertThat(routing.promptText()).isEqualTo(expected.replace("\\n", "\n"));
        assertThat(routing.hasTokens()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GENERATE    | {\"input_ids\": [5, 6, 7]}",
        "GENERATE    | {\"input_ids\": [[5, 6, 7], [8]]}",
        "COMPLETIONS | {\"prompt\": [5, 6, 7]}"
    })
    void tokenIdsAreCarriedAsTokens(Endpoint endpoint, String body) throws Exception {
        assertThat(parse(endpoint, body, Optional.empty()).promptTokens()).containsExactly(5, 6, 7);
    }

    @Test
    void aLongPromptIsCutSoThatRoutingCostsTheSameWhateverItsLength() throws Exception {
        String huge = "y".repeat(1_000_000);
        RoutingContext routing = parse(Endpoint.CHAT_COMPLETIONS,
                "{\"messages\": [{\"role\": \"user\", \"content\": \"" + huge + "\"},"
                        + " {\"role\": \"user\", \"content\": \"" + huge + "\"}]}", Optional.of("k"));

        assertThat(routing.promptText()).hasSize(RoutingContext.MAX_PROMPT_LENGTH);
        assertThat(routing.routingKey()).contains("k");
    }

    @Test
    void theRoutingKeyComesFromSglangsHeaderElseTheSessionId() {
        var both = new HeaderMap();
        both.put(RoutingKeyHeader.ROUTING_KEY, "tenant-1");
        both.put(RoutingKeyHeader.SESSION_ID, "session-9");
        var session = new HeaderMap();
        session.put(RoutingKeyHeader.SESSION_ID, " session-9 ");
        var blank = new HeaderMap();
        blank.put(RoutingKeyHeader.ROUTING_KEY, "  ");

        assertThat(RoutingKeyHeader.from(both)).contains("tenant-1");
        assertThat(RoutingKeyHeader.from(session)).contains("session-9");
        assertThat(RoutingKeyHeader.from(blank)).isEmpty();
        assertThat(RoutingKeyHeader.from(new HeaderMap())).isEmpty();
    }

    private static RoutingContext parse(Endpoint endpoint, String body, Optional<String> key) throws Exception {
        return GenerationBodyParser.parse(endpoint, body.getBytes(StandardCharsets.UTF_8), key).routing();
    }
}
