package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendClientSettingsTest {

    @Test
    void eachServerGetsTheClientCapAndAllTogetherTwiceItWithRoomForAdminCalls() {
        var settings = BackendClientSettings.forClientConnections(1_000);

        assertThat(settings.maxConnectionsPerRoute()).isEqualTo(1_000 + BackendClientSettings.ADMIN_HEADROOM);
        assertThat(settings.maxConnectionsTotal()).isEqualTo(2_000 + BackendClientSettings.ADMIN_HEADROOM);
    }

    @Test
    void aClientCapBelowOneOrTooLargeToDoubleIsRefused() {
        assertThatThrownBy(() -> BackendClientSettings.forClientConnections(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackendClientSettings.forClientConnections(Integer.MAX_VALUE))
                .isInstanceOf(ArithmeticException.class);
    }
}
