package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.application.lifecycle.ServingState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FatalErrorWatchTest {

    private final ServingState state = new ServingState();
    private final List<String> reported = new CopyOnWriteArrayList<>();

    @Test
    void aStoppedBackendClientTurnsHealthDownAndIsReportedOnce() {
        var clientRunning = new AtomicBoolean(true);
        try (var watch = new FatalErrorWatch(state, clientRunning::get, Duration.ofMillis(10), reported::add)) {
            assertThat(state.isServing()).isTrue();

            clientRunning.set(false);

            await().atMost(Duration.ofSeconds(10)).until(() -> !state.isServing());
            assertThat(state.fatalError()).hasValueSatisfying(reason -> assertThat(reason).contains("backend HTTP client"));
            watch.fatal("something else");
            assertThat(reported).hasSize(1);
        }
    }
}
