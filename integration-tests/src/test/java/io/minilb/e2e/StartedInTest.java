package io.minilb.e2e;

import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test started for itself (simulators, a mini-lb), closed after the test, the last started first, so mini-lb
 * stops before the servers behind it. Register it with {@code @RegisterExtension}.
 */
final class StartedInTest implements AfterEachCallback {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    <T extends AutoCloseable> T keep(T closeable) {
        started.push(closeable);
        return closeable;
    }

    Simulator start(SimulatorConfig.Builder config) {
        return keep(config.start());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }
}
