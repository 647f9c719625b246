package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerSettingsTest {

    @Test
    void theDefaultsAreValid() {
        assertThatCode(() -> settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES))
                .doesNotThrowAnyException();
    }

    @Test
    void aReadTimeoutUndertowCannotTakeIsRefused() {
        assertThatThrownBy(() -> settings(null, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings(Duration.ZERO, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings(Duration.ofMillis(1L + Integer.MAX_VALUE), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noConnectionsOrNoStreamBufferIsRefused() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> settings(Duration.ofSeconds(1), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streamBufferBytes");
    }

    private static HttpServerSettings settings(Duration readTimeout, int maxConnections, int streamBufferBytes) {
        return RunningServer.settings(readTimeout, maxConnections, streamBufferBytes);
    }
}
