package io.minilb.adapters.in.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.adapters.in.http.Rejection;
import io.minilb.adapters.in.http.RouteMetrics;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.domain.worker.WorkerRole;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest extends OneWorkerPerSide {


    @Test
    void requestsAreCountedByRouteTemplateAndStatusWithTheirLatencies() throws IOException {
        RouteMetrics generate = metrics.http().route("/generate");
        generate.completed(200, 300 * MILLIS, 40 * MILLIS, 2 * MILLIS, 1234);
        generate.completed(200, 100 * MILLIS, 20 * MILLIS, 1 * MILLIS, 100);
        generate.completed(503, 1 * MILLIS, -1, -1, 0);
        metrics.http().route("/workers/{id}").completed(404, 1 * MILLIS, -1, -1, 50);

        String text = scrape();
        assertThat(text)
                .contains("mini_lb_http_requests_total{route=\"/generate\",status=\"200\"} 2.0")
                .contains("mini_lb_http_requests_total{route=\"/generate\",status=\"503\"} 1.0")
                .contains("mini_lb_http_requests_total{route=\"/workers/{id}\",status=\"404\"} 1.0")
                .contains("mini_lb_http_request_duration_seconds_count{route=\"/generate\"} 3")
                .contains("mini_lb_http_request_duration_seconds_bucket{route=\"/generate\",le=\"0.25\"} 2")
                .contains("mini_lb_time_to_first_byte_seconds_count{route=\"/generate\"} 2")
                .contains("mini_lb_time_to_first_byte_seconds_sum{route=\"/generate\"} 0.06")
                .contains("mini_lb_overhead_seconds_count{route=\"/generate\"} 2")
                .contains("mini_lb_overhead_seconds_bucket{route=\"/generate\",le=\"0.001\"} 1")
                .contains("mini_lb_http_response_bytes_total{route=\"/generate\"} 1334.0");
    }

    @Test
    void everyRejectionReasonHasASeriesFromTheStartAndCounts() throws IOException {
        for (Rejection reason : Rejection.values()) {
            assertThat(scrape()).contains("mini_lb_rejected_requests_total{reason=\"" + reason.label() + "\"} 0.0");
        }
        metrics.http().rejected(Rejection.CONNECTION_CAP);
        metrics.http().rejected(Rejection.CONNECTION_CAP);
        metrics.http().rejected(Rejection.PAYLOAD_TOO_LARGE);

        assertThat(scrape())
                .contains("mini_lb_rejected_requests_total{reason=\"connection_cap\"} 2.0")
                .contains("mini_lb_rejected_requests_total{reason=\"payload_too_large\"} 1.0");
    }

    @Test
    void connectionsAreReadWhenScraped() throws IOException {
        int[] open = {3};
        metrics.http().clientConnections(() -> open[0]);
        metrics.backendConnections(() -> 5, () -> 2);
        assertThat(scrape()).contains("mini_lb_client_connections 3.0")
                .contains("mini_lb_backend_connections{state=\"leased\"} 5.0")
                .contains("mini_lb_backend_connections{state=\"idle\"} 2.0");

        open[0] = 7;
        assertThat(scrape()).contains("mini_lb_client_connections 7.0");
    }

    @Test
    void attemptsFailuresRetriesAndRefusalsAreCountedPerWorker() throws IOException {
        metrics.routing().attemptSent(prefill, decode);
        metrics.routing().attemptSent(prefill, decode);
        metrics.routing().attemptFailed(decode, GenerationFailure.Kind.TIMEOUT);
        metrics.routing().retried(GenerationFailure.Kind.TIMEOUT);
        metrics.routing().refused(WorkerRole.DECODE);

        assertThat(scrape())
                .contains("mini_lb_worker_requests_total{role=\"prefill\",worker=\"http://prefill-1:30000\"} 2.0")
                .contains("mini_lb_worker_requests_total{role=\"decode\",worker=\"http://decode-1:30001\"} 2.0")
                .contains("mini_lb_worker_failures_total{kind=\"backend_timeout\",role=\"decode\","
                        + "worker=\"http://decode-1:30001\"} 1.0")
                .doesNotContain("mini_lb_worker_failures_total{kind=\"backend_timeout\",role=\"prefill\"")
                .contains("mini_lb_retries_total{cause=\"backend_timeout\"} 1.0")
                .contains("mini_lb_no_available_worker_total{role=\"decode\"} 1.0")
                .contains("mini_lb_no_available_worker_total{role=\"prefill\"} 0.0");
    }

    @Test
    void workerGaugesFollowTheRegistryAndRemovedWorkersLoseTheirSeries() throws IOException {
        String decodeLabels = "{role=\"decode\",worker=\"http://decode-1:30001\"}";
        assertThat(scrape()).contains("mini_lb_worker_health" + decodeLabels + " 1.0")
                .contains("mini_lb_worker_cb_state" + decodeLabels + " 0.0")
                .contains("mini_lb_worker_requests_active" + decodeLabels + " 0.0");

        decode.tryStart();
        decode.health().recordCheck(false);
        decode.circuit().recordFailure();
        decode.circuit().recordFailure();
        metrics.routing().attemptSent(prefill, decode);
        assertThat(scrape()).contains("mini_lb_worker_health" + decodeLabels + " 0.0")
                .contains("mini_lb_worker_cb_state" + decodeLabels + " 1.0")
                .contains("mini_lb_worker_requests_active" + decodeLabels + " 1.0")
                .contains("mini_lb_worker_requests_total" + decodeLabels + " 1.0");

        registry.remove(decode.id());
        assertThat(scrape()).as("draining: still registered").contains("mini_lb_worker_health" + decodeLabels);
        decode.finish();
        assertThat(scrape()).doesNotContain("decode-1").contains("prefill-1");
    }

    @Test
    void jvmMetricsAreIncluded() throws IOException {
        assertThat(scrape()).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("jvm_gc_collection_seconds");
    }

    private String scrape() throws IOException {
        var out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
