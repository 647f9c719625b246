package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRole;
import java.util.List;
import java.util.Locale;

/** Workers as SGLang's router shows them ({@code WorkerInfo}), plus their circuit state and origin. */
final class WorkerJson {

    private WorkerJson() {
    }

    static ObjectNode describe(LiveWorker<?> worker) {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("id", worker.id())
                .put("url", worker.url())
                .put("worker_type", worker.role().label())
                .put("connection_mode", "http");
        if (worker.worker() instanceof PrefillWorker prefill && prefill.bootstrapPort().isPresent()) {
            json.put("bootstrap_port", prefill.bootstrapPort().getAsInt());
        }
        boolean healthy = worker.health().isHealthy();
        return json.put("is_healthy", healthy && !worker.isDraining())
                .put("status", worker.isDraining() ? "draining" : healthy ? "ready" : "not_ready")
                .put("circuit_state", worker.circuit().state().label())
                .put("load", worker.inFlight())
                .put("origin", worker.origin().name().toLowerCase(Locale.ROOT));
    }

    /** {@code GET /workers}: the workers, their number, and how many of each type. */
    static ObjectNode list(List<LiveWorker<?>> workers) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode described = body.putArray("workers");
        workers.forEach(worker -> described.add(describe(worker)));
        body.put("total", workers.size());
        body.putObject("stats")
                .put("prefill_count", count(workers, WorkerRole.PREFILL))
                .put("decode_count", count(workers, WorkerRole.DECODE))
                .put("regular_count", 0);
        return body;
    }

    /** {@code GET /list_workers}: the older form, URLs only. */
    static ObjectNode urls(List<LiveWorker<?>> workers) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode urls = body.putArray("urls");
        workers.forEach(worker -> urls.add(worker.url()));
        return body;
    }

    private static long count(List<LiveWorker<?>> workers, WorkerRole role) {
        return workers.stream().filter(worker -> worker.role() == role).count();
    }
}
