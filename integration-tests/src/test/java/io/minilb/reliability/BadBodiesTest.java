package io.minilb.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.reliability.support.InProcessCluster;
import io.minilb.simulator.Simulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rule: client errors are client errors. What can be checked locally is checked against SGLang's own rules and never
 * reaches a server, and the client's message names neither a server nor a library (issue 8, finding 5).
 *
 * <p>Each body of the issue is sent {@value #TRIES} times. Sent on to both servers, such a body got 400 or 502 at
 * random, depending on which server answered first (11 × 502 and 1 × 400 in 12 tries for the first one), and the 502
 * quoted the prefill's URL, or a Jackson class; {@value #TRIES} tries make a random outcome all but certain to show.
 */
class BadBodiesTest {
    private static final int TRIES = 12;

    private static InProcessCluster cluster;

    @BeforeAll
    static void start() {
        cluster = InProcessCluster.start(UnaryOperator.identity());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/generate             | {\"text\":{\"a\":1}}",
        "/generate             | {\"text\":5}",
        "/generate             | {\"input_ids\":[[]]}",
        "/generate             | {\"input_ids\":[\"a\"]}",
        "/v1/chat/completions  | {\"model\":\"sim-model\",\"messages\":\"hi\"}",
        "/generate             | {\"text\":\"x\",\"sampling_params\":{\"max_new_tokens\":-1}}",
    })
    void aBadBodyGetsTheSame400EveryTimeAndNoServerSeesIt(String path, String body) {
        for (int i = 0; i < TRIES; i++) {
            HttpResponse<String> response = cluster.post(path, body, Duration.ofSeconds(20));
            cluster.assertError(response, 400, "invalid_request_error");
        }

        for (Simulator server : cluster.simulators()) {
            assertThat(server.state().requestCount(path)).as(server.mode() + " requests").isZero();
            assertThat(server.state().recentRequests()).as(server.mode() + " requests with a body").isEmpty();
        }
    }
}
