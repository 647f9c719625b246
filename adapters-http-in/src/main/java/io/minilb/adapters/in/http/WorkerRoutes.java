package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.adapters.in.http.RouteTable.Route;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.workers.AddWorkerResult;
import io.minilb.application.workers.Readiness;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerRole;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The worker API and {@code /readiness}, as SGLang's router serves them: {@code /workers} and
 * {@code /workers/{id}}, and the older query forms {@code /add_worker}, {@code /remove_worker} and
 * {@code /list_workers}. These routes are open to every client that reaches mini-lb.
 */
final class WorkerRoutes {

    /** A worker spec is a few fields; nothing near this size is a worker. */
    static final int MAX_WORKER_BODY_BYTES = 16 * 1024;

    static final String WORKER_ALREADY_EXISTS = "worker_already_exists";
    static final String WORKER_LIMIT_REACHED = "worker_limit_reached";
    static final String NOT_READY = "not_ready";

    private static final String TEXT = "text/plain; charset=utf-8";

    private final ManageWorkersUseCase workers;
    private final BoundedBodyReader.Limits bodyLimits;

    private WorkerRoutes(ManageWorkersUseCase workers, HttpServerSettings settings, MemoryBudget budget) {
        this.workers = workers;
        this.bodyLimits = new BoundedBodyReader.Limits(MAX_WORKER_BODY_BYTES, settings.requestReadTimeout(), budget);
    }

    static List<Route> routes(ManageWorkersUseCase workers, HttpServerSettings settings, MemoryBudget budget) {
        WorkerRoutes api = new WorkerRoutes(workers, settings, budget);
        return List.of(
                new Route(List.of("GET", "HEAD"), "/readiness", api::readiness),
                new Route(List.of("GET", "POST"), "/workers", api::workers),
                new Route(List.of("GET", "DELETE"), "/workers/" + RouteTable.PARAMETER, api::byId),
                new Route("POST", "/add_worker", api::addFromQuery),
                new Route("POST", "/remove_worker", api::removeFromQuery),
                new Route("GET", "/list_workers",
                        exchange -> Responses.json(exchange, 200, WorkerJson.urls(workers.list()))));
    }

    private void readiness(HttpServerExchange exchange) {
        Readiness readiness = workers.readiness();
        if (readiness.isReady()) {
            Responses.json(exchange, 200, Json.MAPPER.createObjectNode().put("status", "ready")
                    .put("available_prefills", readiness.availablePrefills())
                    .put("available_decodes", readiness.availableDecodes()));
            return;
        }
        List<WorkerRole> none = readiness.sidesWithNone();
        String message = !readiness.serving() ? "mini-lb is stopping"
                : readiness.warmingUp() ? "mini-lb is warming up"
                : "no " + none.stream().map(WorkerRole::label).collect(Collectors.joining(" and "))
                        + " server is available";
        ObjectNode body = ErrorBody.of(NOT_READY, message);
        ObjectNode details = ErrorBody.details(body)
                .put("available_prefills", readiness.availablePrefills())
                .put("available_decodes", readiness.availableDecodes());
        if (!none.isEmpty()) {
            details.put("side", none.get(0).label());
        }
        Responses.json(exchange, 503, body);
    }

    private void workers(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equalToString("GET")) {
            Responses.json(exchange, 200, WorkerJson.list(workers.list()));
            return;
        }
        BoundedBodyReader.read(exchange, bodyLimits, this::create,
                (failed, failure) -> BoundedBodyReader.refuse(failed, failure, bodyLimits));
    }

    private void create(HttpServerExchange exchange, byte[] body) {
        Worker worker;
        try {
            worker = WorkerSpecReader.fromJson(JsonBodyReader.readObject(body));
        } catch (InvalidRequestException e) {
            Responses.error(exchange, 400, ErrorBody.INVALID_REQUEST, e.getMessage());
            return;
        }
        add(exchange, worker, added -> {
            String location = "/workers/" + added.id();
            exchange.getResponseHeaders().put(Headers.LOCATION, location);
            Responses.json(exchange, 202, Json.MAPPER.createObjectNode()
                    .put("status", "accepted")
                    .put("worker_id", added.id())
                    .put("url", added.url())
                    .put("location", location)
                    .put("message", added + " added; it takes traffic while available"));
        });
    }

    private void addFromQuery(HttpServerExchange exchange) {
        Worker worker;
        try {
            worker = WorkerSpecReader.fromQuery(exchange.getQueryParameters());
        } catch (InvalidRequestException e) {
            Responses.error(exchange, 400, ErrorBody.INVALID_REQUEST, e.getMessage());
            return;
        }
        add(exchange, worker, added -> text(exchange, 200, "Successfully added worker: " + added.url()));
    }

    private void add(HttpServerExchange exchange, Worker worker, Consumer<LiveWorker<?>> onAdded) {
        AddWorkerResult result = workers.add(worker);
        if (result instanceof AddWorkerResult.Added added) {
            onAdded.accept(added.worker());
        } else if (result instanceof AddWorkerResult.AlreadyRegistered duplicate) {
            LiveWorker<?> existing = duplicate.existing();
            Responses.error(exchange, 409, WORKER_ALREADY_EXISTS, "Worker already exists at URL '" + existing.url()
                    + "' with ID " + existing.id() + " (as " + existing.role().label()
                    + (existing.isDraining() ? ", draining until its requests end" : "") + ")");
        } else {
            int limit = ((AddWorkerResult.RegistryFull) result).limit();
            Responses.error(exchange, 409, WORKER_LIMIT_REACHED, "mini-lb holds at most " + limit
                    + " workers (draining ones included); remove one first");
        }
    }

    private void byId(HttpServerExchange exchange) {
        String id = RouteTable.pathParameter(exchange);
        if (!isUuid(id)) {
            Responses.error(exchange, 400, ErrorBody.INVALID_REQUEST,
                    "Invalid worker_id '" + RouteTable.abbreviated(id) + "' (expected UUID)");
            return;
        }
        boolean delete = exchange.getRequestMethod().equalToString("DELETE");
        Optional<LiveWorker<?>> worker = delete ? workers.remove(id) : workers.find(id);
        if (worker.isEmpty()) {
            Responses.error(exchange, 404, ErrorBody.NOT_FOUND, "Worker " + id + " not found");
        } else if (delete) {
            Responses.json(exchange, 202, Json.MAPPER.createObjectNode()
                    .put("status", "accepted")
                    .put("worker_id", id)
                    .put("message", removalMessage(worker.get())));
        } else {
            Responses.json(exchange, 200, WorkerJson.describe(worker.get()));
        }
    }

    private void removeFromQuery(HttpServerExchange exchange) {
        String url = exchange.getQueryParameters().getOrDefault("url", new ArrayDeque<>()).peekFirst();
        if (url == null) {
            Responses.error(exchange, 400, ErrorBody.INVALID_REQUEST, "'url' is required");
            return;
        }
        Optional<LiveWorker<?>> worker = workers.findByUrl(url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .flatMap(found -> workers.remove(found.id()));
        if (worker.isEmpty()) {
            Responses.error(exchange, 404, ErrorBody.NOT_FOUND, "Worker " + RouteTable.abbreviated(url) + " not found");
            return;
        }
        text(exchange, 200, "Successfully removed worker: " + worker.get().url());
    }

    private static String removalMessage(LiveWorker<?> worker) {
        return worker + " removed: it gets no new requests; the " + worker.inFlight()
                + " in flight finish first";
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equals(id.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void text(HttpServerExchange exchange, int status, String body) {
        Responses.send(exchange, status, TEXT, (body + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
