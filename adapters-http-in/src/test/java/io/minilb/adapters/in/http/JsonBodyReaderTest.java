package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Malformed bodies get plain messages: what is wrong and where, never a parser's classes or settings. */
class JsonBodyReaderTest {

    @Test
    void aBodyNestedTooDeeplyIsRefusedNamingTheLimit() throws Exception {
        String atLimit = "[".repeat(Json.MAX_NESTING_DEPTH - 1) + "]".repeat(Json.MAX_NESTING_DEPTH - 1);
        String beyond = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);

        assertThat(JsonBodyReader.readObject(bytes("{\"a\": " + atLimit + "}"))).isNotNull();
        assertRefused("{\"a\": " + beyond + "}").hasMessage("request body nests deeper than 1000 levels");
    }

    @Test
    void aHugeNumberIsRefusedNamingTheLimit() {
        assertRefused("{\"a\": " + "9".repeat(Json.MAX_NUMBER_LENGTH + 1) + "}")
                .hasMessage("request body has a number longer than 1000 characters");
        assertRefused("{\"a\": 1e2147483648}")
                .hasMessage("request body has a number too large or too small to represent");
        assertRefused("{\"a\": 1e-2147483649}")
                .hasMessage("request body has a number too large or too small to represent");
    }

    @Test
    void aHugeFieldNameIsRefusedNamingTheLimit() {
        assertRefused("{\"" + "k".repeat(Json.MAX_NAME_LENGTH + 1) + "\": 1}")
                .hasMessage("request body has a field name longer than 50000 characters");
    }

    @Test
    void trailingGarbageIsRefusedWithItsPosition() {
        assertRefused("{\"text\": \"x\"} {\"b\": 2}")
                .hasMessage("request body is not valid JSON: more data follows the JSON value (line 1, column 15)");
        assertRefused("{\"text\": \"x\"} trailing")
                .hasMessage("request body is not valid JSON: syntax error (line 1, column 15)");
    }

    @Test
    void invalidUtf8IsRefusedWithItsPosition() {
        byte[] body = {'{', '"', 't', '"', ':', ' ', '"', (byte) 0xff, '"', '}'};

        assertThatThrownBy(() -> JsonBodyReader.readObject(body))
                .hasMessage("request body is not valid JSON: it is not valid UTF-8 (line 1, column 9)");
    }

    @Test
    void syntaxErrorsKeepTheirPositionAndNameNoInternals() {
        assertRefused("{\"text\": \"x\"").hasMessage(
                "request body is not valid JSON: it ends before the JSON value is complete (line 1, column 13)");
        assertRefused("{\"text\": NaN}").hasMessage("request body is not valid JSON: syntax error (line 1, column 13)");
        assertRefused("{'text': 1}").hasMessage("request body is not valid JSON: syntax error (line 1, column 2)");
        assertRefused("{\"text\":\n x}").hasMessage("request body is not valid JSON: syntax error (line 2, column 2)");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String body) {
        return assertThatThrownBy(() -> JsonBodyReader.readObject(bytes(body)))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("jackson", "Jackson", "`", "Feature",
                        "Constraints", "Source"));
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
