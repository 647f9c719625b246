package io.minilb.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.reliability.support.InProcessCluster;
import io.minilb.reliability.support.SlowClients;
import io.minilb.simulator.TestHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule: a client that has not sent its whole request, head and body, within {@code --request-read-timeout-secs}
 * gets 408 (when its head was complete) and is closed (issue 8, finding 4).
 *
 * <p>Slowloris connections send a byte now and then, so no idle timeout ever fires: without the read deadline each
 * was held for minutes (3,000 of them all held; 1,100 under a 1,024-descriptor limit took mini-lb down). Here
 * {@value #CLIENTS} connections drip their head and {@value #CLIENTS} more a complete head and then their body, at a
 * pace that would take them {@value #DRIP_SECONDS} s or more to finish; with a 1 s read timeout every one must be
 * cut long before that, while an ordinary client is still served.
 */
class SlowlorisTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final int CLIENTS = 100;
    private static final Duration PAUSE = Duration.ofMillis(200);
    /** The bodies' length times {@link #PAUSE}: the least time a dripped body takes, heads take longer. */
    private static final int DRIP_SECONDS = 10;
    /** The time after which a client may be cut: the read timeout, plus ample room for a loaded machine. */
    private static final Duration CUT_WITHIN = READ_TIMEOUT.plusSeconds(8);
    private static final String PROMPT = "{\"text\":\"" + "s".repeat(40) + "\",\"sampling_params\":{\"max_new_tokens\":2}}";

    private InProcessCluster cluster;
    private byte[] request;
    private int headLength;

    @BeforeEach
    void start() {
        cluster = InProcessCluster.start(config -> config.withTimeouts(config.timeouts().withRequestRead(READ_TIMEOUT)));
        request = SlowClients.jsonPost(cluster.url("/"), "/generate", PROMPT);
        headLength = new String(request, StandardCharsets.US_ASCII).indexOf("\r\n\r\n") + 4;
        assertThat(Duration.ofMillis(PAUSE.toMillis() * (request.length - headLength))).isGreaterThanOrEqualTo(Duration.ofSeconds(DRIP_SECONDS));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void clientsDrippingTheirHeadAreClosedAtTheReadTimeout() {
        try (SlowClients slow = drip(10)) {
            assertOrdinaryRequestServed();

            slow.awaitAllClosed(CUT_WITHIN);

            report("head", slow);
        }
    }

    @Test
    void clientsDrippingTheirBodyGet408AndAreClosedAtTheReadTimeout() {
        try (SlowClients slow = drip(headLength)) {
            assertOrdinaryRequestServed();

            slow.awaitAllClosed(CUT_WITHIN);

            for (int i = 0; i < slow.count(); i++) {
                String received = slow.received(i);
                assertThat(received).startsWith("HTTP/1.1 408");
                String body = received.substring(received.indexOf("\r\n\r\n") + 4);
                assertThat(TestHttp.json(body).path("error").path("type").asText()).as(received).isEqualTo("request_timeout");
            }
            report("body", slow);
        }
    }

    /** {@value #CLIENTS} connections that send {@code sendAtOnce} bytes of the request, then one byte a {@link #PAUSE}. */
    private SlowClients drip(int sendAtOnce) {
        URI server = cluster.url("/");
        return SlowClients.slowloris(server, CLIENTS, request, sendAtOnce, PAUSE, Duration.ofSeconds(DRIP_SECONDS * 3));
    }

    private void assertOrdinaryRequestServed() {
        HttpResponse<String> response = cluster.post("/generate", PROMPT, Duration.ofSeconds(20));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(cluster.prefill().state().requestCount("/generate")).isEqualTo(1);
    }

    /** Each was cut by the read timeout, not by the end of its drip, which would be far later. */
    private static void report(String what, SlowClients slow) {
        List<Duration> cuts = new ArrayList<>();
        for (int i = 0; i < slow.count(); i++) {
            cuts.add(slow.closedAfter(i).orElseThrow());
        }
        Duration first = cuts.stream().min(Duration::compareTo).orElseThrow();
        Duration last = cuts.stream().max(Duration::compareTo).orElseThrow();
        assertThat(last).isLessThanOrEqualTo(CUT_WITHIN);
        System.out.printf("[figures] slowloris %s: %d clients, read timeout %d ms: closed after %d-%d ms%n",
                what, slow.count(), READ_TIMEOUT.toMillis(), first.toMillis(), last.toMillis());
    }
}
