package io.minilb.application.workers;

import io.minilb.domain.worker.LiveWorker;

/** What became of a request to register a worker. */
public sealed interface AddWorkerResult {

    record Added(LiveWorker<?> worker) implements AddWorkerResult {
    }

    /** A worker with the same URL is registered (in either role, perhaps still draining). */
    record AlreadyRegistered(LiveWorker<?> existing) implements AddWorkerResult {
    }

    /** The registry holds {@code limit} workers, draining ones included. */
    record RegistryFull(int limit) implements AddWorkerResult {
    }
}
