package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.postAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.reliability.support.ChildJvm;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/CustomConfigExample.java, run as its README line says, stops on SIGTERM only once its requests end. */
class CustomConfigExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "CustomConfigExample.java");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheRequestInFlightFinishThenStops() {
        Simulator prefill1 = started.start(SimulatorConfig.prefill());
        Simulator prefill2 = started.start(SimulatorConfig.prefill());
        // 40 tokens at 100 ms: the request is still streaming when the signal comes.
        Simulator decode1 = started.start(SimulatorConfig.decode().decodeMsPerToken(100));
        Simulator decode2 = started.start(SimulatorConfig.decode().decodeMsPerToken(100));
        ChildJvm example = started.keep(ChildJvm.start(EXAMPLE.toString(), List.of(), List.of(
                prefill1.url(), String.valueOf(prefill1.bootstrapPort()),
                prefill2.url(), String.valueOf(prefill2.bootstrapPort()),
                decode1.url(), decode2.url()), dir.resolve("example.log")));
        String url = example.awaitLine(LISTENING, Duration.ofSeconds(90)).group(1);

        CompletableFuture<HttpResponse<String>> inFlight = postAsync(url + "/generate", generate("drain me", 40));
        await().atMost(Duration.ofSeconds(20)).until(() -> decode1.state().inFlightRequests()
                + decode2.state().inFlightRequests() == 1);
        ProcessHandle.of(example.pid()).orElseThrow().destroy(); // SIGTERM

        assertThat(inFlight.join().statusCode()).isEqualTo(200);
        example.awaitExit(Duration.ofSeconds(30));
        assertThat(example.outputLines()).anyMatch(line -> line.contains("mini-lb stopped"));
    }
}
