package io.minilb.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void bootstrapHostIsTheUrlHost() {
        assertThat(PrefillWorker.of("http://prefill-1:30000", 8998).bootstrapHost()).isEqualTo("prefill-1");
        assertThat(PrefillWorker.of("https://10.0.0.7:30000/", 8998).bootstrapHost()).isEqualTo("10.0.0.7");
    }

    @Test
    void ipv6BootstrapHostKeepsItsBrackets() {
        assertThat(PrefillWorker.of("http://[::1]:30000", 8998).bootstrapHost()).isEqualTo("[::1]");
    }

    @Test
    void trailingSlashIsDropped() {
        assertThat(new DecodeWorker("http://d:1/").url()).isEqualTo("http://d:1");
    }

    @Test
    void missingBootstrapPortStaysMissing() {
        assertThat(PrefillWorker.withoutBootstrapPort("http://p:1").bootstrapPort()).isEqualTo(OptionalInt.empty());
    }

    @Test
    void badUrlsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new DecodeWorker("ftp://d:1")).hasMessageContaining("http://");
        assertThatThrownBy(() -> new DecodeWorker("localhost:30000")).hasMessageContaining("http://");
        assertThatThrownBy(() -> new DecodeWorker("http://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecodeWorker("http://a b")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> new DecodeWorker(" ")).hasMessageContaining("empty");
    }

    @Test
    void bootstrapPortMustBeAPort() {
        assertThatThrownBy(() -> PrefillWorker.of("http://p:1", 0)).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> PrefillWorker.of("http://p:1", 65_536)).hasMessageContaining("1-65535");
    }

    @Test
    void roomsStayWithinSixtyThreeBits() {
        assertThatThrownBy(() -> new BootstrapRoom(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new BootstrapRoom(Long.MAX_VALUE).value()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void assignmentCarriesThePrefillsRendezvous() {
        var prefill = PrefillWorker.of("http://[fe80::1]:30000", 8998);
        var assignment = BootstrapAssignment.batch(prefill, List.of(new BootstrapRoom(1), new BootstrapRoom(2)));
        assertThat(assignment.host()).isEqualTo("[fe80::1]");
        assertThat(assignment.port()).isEqualTo(OptionalInt.of(8998));
        assertThat(assignment.batch()).isTrue();
        assertThatThrownBy(() -> new BootstrapAssignment("h", OptionalInt.empty(),
                List.of(new BootstrapRoom(1), new BootstrapRoom(2)), false)).isInstanceOf(IllegalArgumentException.class);
    }
}
