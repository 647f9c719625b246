package io.minilb.application.port.out;

import io.minilb.application.health.ProbeResult;
import io.minilb.domain.Worker;
import java.util.concurrent.CompletableFuture;

/**
 * Checks whether one worker can serve now. The future always completes normally, within the check's timeout, and
 * the call never blocks.
 */
public interface WorkerProbe {

    CompletableFuture<ProbeResult> check(Worker worker);
}
