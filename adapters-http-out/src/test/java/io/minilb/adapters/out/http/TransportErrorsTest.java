package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import org.apache.hc.core5.http.ProtocolException;
import org.junit.jupiter.api.Test;

/** What clients read about a failed leg names the kind of failure, never a library's class or a server's text. */
class TransportErrorsTest {

    @Test
    void describesKnownFailuresInFixedWords() {
        assertThat(TransportErrors.describe(new ConnectException("Connection refused"))).isEqualTo("connection refused");
        assertThat(TransportErrors.describe(new ProtocolException("Invalid header: <secret server text>")))
                .isEqualTo("malformed response");
        assertThat(TransportErrors.describe(new CancellationException("cancelled"))).isEqualTo("cancelled");
    }

    @Test
    void saysNothingOfAnUnknownErrorsTextOrClass() {
        String phrase = TransportErrors.describe(new IllegalStateException("I/O reactor has been shut down"));

        assertThat(phrase).isEqualTo("connection failed");
    }

    @Test
    void anUnreadableAnswerIsDescribedWithoutTheParsersWords() throws IOException {
        byte[] deep = "[".repeat(StreamReadConstraints.DEFAULT_MAX_DEPTH + 1).getBytes(StandardCharsets.US_ASCII);
        JsonProcessingException tooDeep = null;
        try {
            new ObjectMapper().readTree(deep);
        } catch (JsonProcessingException e) {
            tooDeep = e;
        }

        assertThat(tooDeep).isNotNull();
        assertThat(tooDeep.getMessage()).contains("StreamReadConstraints");
        assertThat(TransportErrors.unreadable(tooDeep)).isEqualTo("invalid JSON");
    }

    @Test
    void anInvalidAnswerIsLocatedByItsByte() throws IOException {
        JsonProcessingException invalid = null;
        try {
            new ObjectMapper().readTree("{\"a\": x}".getBytes(StandardCharsets.US_ASCII));
        } catch (JsonProcessingException e) {
            invalid = e;
        }

        assertThat(invalid).isNotNull();
        assertThat(TransportErrors.unreadable(invalid)).isEqualTo("invalid JSON at byte 6");
    }
}
