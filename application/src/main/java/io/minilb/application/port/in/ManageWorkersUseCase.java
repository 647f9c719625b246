package io.minilb.application.port.in;

import io.minilb.application.workers.AddWorkerResult;
import io.minilb.application.workers.Readiness;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import java.util.List;
import java.util.Optional;

/** The worker API: list, add and remove workers while serving, and say whether a pair can be served. */
public interface ManageWorkersUseCase {

    /** Every registered worker, draining ones included, prefills first. */
    List<LiveWorker<?>> list();

    Optional<LiveWorker<?>> find(String id);

    Optional<LiveWorker<?>> findByUrl(String url);

    /** Registers a worker from the API, unless its URL is registered already or the registry is full. */
    default AddWorkerResult add(Worker worker) {
        return add(worker, WorkerOrigin.API);
    }

    /** As {@link #add(Worker)}, for a worker found elsewhere (e.g. by service discovery). */
    AddWorkerResult add(Worker worker, WorkerOrigin origin);

    /**
     * Starts draining the worker with this id: no new requests, those in flight finish. The worker as registered,
     * or empty when no worker has this id.
     */
    Optional<LiveWorker<?>> remove(String id);

    Readiness readiness();
}
