package io.minilb.adapters.in.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.adapters.in.http.RouteMetrics;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the status page polls: cumulative counts it can take differences of, and the workers' state. */
class StatusEndpointTest extends OneWorkerPerSide {

    private final StatusEndpoint status =
            new StatusEndpoint((PrometheusHttpMetrics) metrics.http(), (PrometheusRoutingMetrics) metrics.routing());

    @Test
    void countsOnlyGenerationRequestsAndTheirLatencyPerBucket() {
        RouteMetrics generate = metrics.http().route("/generate");
        generate.completed(200, 300 * MILLIS, 40 * MILLIS, 2 * MILLIS, 10);
        generate.completed(200, 100 * MILLIS, 20 * MILLIS, 1 * MILLIS, 10);
        generate.completed(503, 1 * MILLIS, -1, -1, 0);
        metrics.http().route("/v1/chat/completions").completed(200, 2000 * MILLIS, 10 * MILLIS, 1 * MILLIS, 10);
        // The page's own polls are not requests it should count.
        metrics.http().route("/status.json").completed(200, 1 * MILLIS, -1, -1, 500);

        ObjectNode json = status.status();

        assertThat(json.at("/requests/total").asLong()).isEqualTo(4);
        assertThat(json.at("/requests/errors").asLong()).isEqualTo(1);
        JsonNode latency = json.get("latency_seconds");
        assertThat(latency.get("count").asLong()).isEqualTo(4);
        assertThat(latency.get("sum").asDouble()).isCloseTo(2.401, within(1e-9));
        List<Double> bounds = new ArrayList<>();
        latency.get("upper_bounds").forEach(bound -> bounds.add(bound.isNull() ? null : bound.asDouble()));
        assertThat(bounds.get(bounds.size() - 1)).as("+Inf, which JSON cannot write").isNull();
        JsonNode counts = latency.get("bucket_counts");
        // Per bucket, not cumulative: 1 ms, 100 ms, 300 ms and 2 s each in a bucket of its own.
        assertThat(counts.get(bounds.indexOf(0.005)).asLong()).isEqualTo(1);
        assertThat(counts.get(bounds.indexOf(0.1)).asLong()).isEqualTo(1);
        assertThat(counts.get(bounds.indexOf(0.5)).asLong()).isEqualTo(1);
        assertThat(counts.get(bounds.indexOf(2.5)).asLong()).isEqualTo(1);
        long total = 0;
        for (JsonNode count : counts) {
            total += count.asLong();
        }
        assertThat(total).isEqualTo(4);
    }

    @Test
    void showsEachWorkerWithItsAttemptsFailuresAndSuccessfulTime() throws IOException {
        LiveWorker<DecodeWorker> idle =
                registry.addDecode(new DecodeWorker("http://decode-2:30001"), WorkerOrigin.API, true);
        metrics.routing().attemptSent(prefill, decode);
        metrics.routing().attemptSent(prefill, decode);
        metrics.routing().attemptSucceeded(prefill, decode, 250 * MILLIS);
        metrics.routing().attemptFailed(decode, GenerationFailure.Kind.UNREACHABLE);
        decode.health().recordCheck(false);

        JsonNode workers = status.status().get("workers");

        assertThat(workers).hasSize(3);
        JsonNode decodeRow = row(workers, decode);
        assertThat(decodeRow.get("role").asText()).isEqualTo("decode");
        assertThat(decodeRow.get("status").asText()).isEqualTo("not_ready");
        assertThat(decodeRow.get("circuit_state").asText()).isEqualTo("closed");
        assertThat(decodeRow.get("attempts").asLong()).isEqualTo(2);
        assertThat(decodeRow.get("failures").asLong()).isEqualTo(1);
        assertThat(decodeRow.get("succeeded").asLong()).isEqualTo(1);
        assertThat(decodeRow.get("succeeded_seconds").asDouble()).isEqualTo(0.25);
        assertThat(row(workers, prefill).get("failures").asLong()).isZero();
        assertThat(row(workers, prefill).get("status").asText()).isEqualTo("ready");
        assertThat(row(workers, idle).get("attempts").asLong()).as("no attempt yet").isZero();

        assertThat(scrape())
                .contains("mini_lb_worker_request_duration_seconds_count{role=\"decode\",worker=\"http://decode-1:30001\"} 1")
                .contains("mini_lb_worker_request_duration_seconds_sum{role=\"decode\",worker=\"http://decode-1:30001\"} 0.25");
    }

    private static JsonNode row(JsonNode workers, LiveWorker<?> worker) {
        for (JsonNode row : workers) {
            if (row.get("id").asText().equals(worker.id())) {
                assertThat(row.get("url").asText()).isEqualTo(worker.url());
                return row;
            }
        }
        throw new AssertionError("no row for " + worker);
    }

    private String scrape() throws IOException {
        var out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
