package io.minilb.adapters.in.http.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.Endpoint;
import io.minilb.domain.worker.LiveWorker;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /status.json}, what the status page shows: each worker's state and counts, and the generation routes'
 * requests and latency histogram. Every figure is cumulative since start (or since the worker was added), so the
 * server keeps no window: the page derives recent rates, error ratios and percentiles from two consecutive polls.
 * Its size is bounded by the workers registered (themselves bounded) and the fixed buckets.
 */
final class StatusEndpoint implements HttpHandler {

    private static final Set<String> GENERATION_ROUTES =
            Arrays.stream(Endpoint.values()).map(Endpoint::path).collect(Collectors.toUnmodifiableSet());

    private final PrometheusHttpMetrics http;
    private final PrometheusRoutingMetrics routing;

    StatusEndpoint(PrometheusHttpMetrics http, PrometheusRoutingMetrics routing) {
        this.http = http;
        this.routing = routing;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        byte[] body = Writer.JSON.writeValueAsBytes(status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    ObjectNode status() {
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        ArrayNode workers = status.putArray("workers");
        routing.forEachWorker((worker, counts) -> workers.addObject()
                .put("id", worker.id())
                .put("url", worker.url())
                .put("role", worker.role().label())
                .put("status", statusOf(worker))
                .put("circuit_state", worker.circuit().state().label())
                .put("in_flight", worker.inFlight())
                .put("attempts", counts.attempts.sum())
                .put("failures", counts.failed())
                .put("succeeded", counts.succeeded.sum())
                .put("succeeded_seconds", Unit.nanosToSeconds(counts.succeededNanos.sum())));
        requests(status.putObject("requests"));
        latency(status.putObject("latency_seconds"));
        return status;
    }

    /** As the worker API shows it: {@code ready}, {@code not_ready} (failing its health checks) or {@code draining}. */
    private static String statusOf(LiveWorker<?> worker) {
        return worker.isDraining() ? "draining" : worker.health().isHealthy() ? "ready" : "not_ready";
    }

    /** Generation requests answered, and those answered with a 5xx (or a status outside 100-599). */
    private void requests(ObjectNode requests) {
        long total = 0;
        long errors = 0;
        for (CounterSnapshot.CounterDataPointSnapshot point : http.requestCounts().getDataPoints()) {
            if (GENERATION_ROUTES.contains(point.getLabels().get("route"))) {
                long count = (long) point.getValue();
                total += count;
                String status = point.getLabels().get("status");
                if (!Character.isDigit(status.charAt(0)) || status.charAt(0) >= '5') {
                    errors += count;
                }
            }
        }
        requests.put("total", total).put("errors", errors);
    }

    /** The generation routes' durations, merged: the upper bounds and the count in each bucket (not cumulative). */
    private void latency(ObjectNode latency) {
        double[] bounds = null;
        long[] counts = null;
        long count = 0;
        double sum = 0;
        for (HistogramSnapshot.HistogramDataPointSnapshot point : http.durations().getDataPoints()) {
            if (!GENERATION_ROUTES.contains(point.getLabels().get("route"))) {
                continue;
            }
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            if (bounds == null) {
                bounds = new double[buckets.size()];
                counts = new long[buckets.size()];
            }
            for (int i = 0; i < buckets.size(); i++) {
                bounds[i] = buckets.getUpperBound(i);
                counts[i] += buckets.getCount(i);
            }
            count += point.getCount();
            sum += point.getSum();
        }
        ArrayNode upperBounds = latency.putArray("upper_bounds");
        ArrayNode bucketCounts = latency.putArray("bucket_counts");
        for (int i = 0; bounds != null && i < bounds.length; i++) {
            // JSON has no infinity: the last bucket's bound is null.
            if (Double.isInfinite(bounds[i])) {
                upperBounds.addNull();
            } else {
                upperBounds.add(bounds[i]);
            }
            bucketCounts.add(counts[i]);
        }
        latency.put("count", count).put("sum", sum);
    }

    /** Made on the first request, not with mini-lb: ObjectMapper's class initialization costs tens of ms of startup. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
