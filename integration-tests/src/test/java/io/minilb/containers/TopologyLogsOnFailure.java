package io.minilb.containers;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints the tail of every container's log when a test fails; runs right after the test method, before any
 * {@code @AfterEach} can remove the containers.
 */
final class TopologyLogsOnFailure implements AfterTestExecutionCallback {

    private static final int LINES = 40;

    private final Supplier<PdTopology> topology;

    TopologyLogsOnFailure(Supplier<PdTopology> topology) {
        this.topology = topology;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        PdTopology failed = topology.get();
        if (failed != null && context.getExecutionException().isPresent()) {
            System.err.println("===== " + context.getDisplayName() + " failed; container logs:\n" + failed.logTails(LINES));
        }
    }
}
