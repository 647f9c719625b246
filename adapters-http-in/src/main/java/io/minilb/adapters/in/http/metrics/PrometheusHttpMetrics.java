package io.minilb.adapters.in.http.metrics;

import io.minilb.adapters.in.http.HttpMetrics;
import io.minilb.adapters.in.http.Rejection;
import io.minilb.adapters.in.http.RouteMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/** The HTTP front's requests, rejections and client connections. */
final class PrometheusHttpMetrics implements HttpMetrics {

    /** A generation may stream for many minutes; a health check answers in milliseconds. */
    private static final double[] LATENCY_BUCKETS = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
    /** mini-lb's own share of a request: about a millisecond through simulators, more when its threads queue. */
    private static final double[] OVERHEAD_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
    /** A slot per HTTP status code (100-599); slot 0 holds any other. */
    private static final int STATUS_SLOTS = 600;

    private final Counter requests;
    private final Histogram duration;
    private final Histogram firstByte;
    private final Histogram overhead;
    private final Counter responseBytes;
    private final Map<Rejection, CounterDataPoint> rejected = new EnumMap<>(Rejection.class);
    private volatile IntSupplier clientConnections;

    PrometheusHttpMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name(MetricNames.HTTP_REQUESTS)
                .help("Requests answered, by route template and HTTP status")
                .labelNames("route", "status").register(registry);
        duration = latency(MetricNames.HTTP_REQUEST_DURATION,
                "Time from a request's arrival to its response's completion", LATENCY_BUCKETS).register(registry);
        firstByte = latency(MetricNames.TIME_TO_FIRST_BYTE,
                "Generation routes: time from a request's arrival to the first byte of its answer (a stream's first "
                        + "frame)", LATENCY_BUCKETS).register(registry);
        overhead = latency(MetricNames.OVERHEAD,
                "Generation routes: time spent in mini-lb itself, excluding waiting on the client's body and on "
                        + "servers", OVERHEAD_BUCKETS).register(registry);
        responseBytes = Counter.builder().name(MetricNames.RESPONSE_BYTES).unit(Unit.BYTES)
                .help("Response body bytes written to clients, streams included, by route template")
                .labelNames("route").register(registry);
        Counter rejections = Counter.builder().name(MetricNames.REJECTED_REQUESTS)
                .help("Requests and connections mini-lb turned away itself, by reason")
                .labelNames("reason").register(registry);
        for (Rejection reason : Rejection.values()) {
            rejected.put(reason, rejections.labelValues(reason.label()));
        }
        GaugeWithCallback.builder().name(MetricNames.CLIENT_CONNECTIONS)
                .help("Client connections open now")
                .callback(callback -> {
                    IntSupplier open = clientConnections;
                    if (open != null) {
                        callback.call(open.getAsInt());
                    }
                })
                .register(registry);
    }

    private static Histogram.Builder latency(String name, String help, double[] buckets) {
        return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).labelNames("route")
                .classicOnly().classicUpperBounds(buckets);
    }

    /** Requests answered so far, by route and status. */
    CounterSnapshot requestCounts() {
        return requests.collect();
    }

    /** Request durations so far, by route. */
    HistogramSnapshot durations() {
        return duration.collect();
    }

    @Override
    public RouteMetrics route(String template) {
        return new Route(template);
    }

    @Override
    public void rejected(Rejection reason) {
        rejected.get(reason).inc();
    }

    @Override
    public void clientConnections(IntSupplier open) {
        clientConnections = open;
    }

    /** One route's series, resolved once; its statuses as they first occur. */
    private final class Route implements RouteMetrics {

        private final String template;
        private final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(STATUS_SLOTS);
        private final DistributionDataPoint duration;
        private final CounterDataPoint responseBytes;
        /** Resolved when first measured: only generation routes have them, and their series should not be empty. */
        private volatile DistributionDataPoint firstByte;
        private volatile DistributionDataPoint overhead;

        Route(String template) {
            this.template = template;
            this.duration = PrometheusHttpMetrics.this.duration.labelValues(template);
            this.responseBytes = PrometheusHttpMetrics.this.responseBytes.labelValues(template);
        }

        @Override
        public void completed(int status, long totalNanos, long firstByteNanos, long overheadNanos,
                long responseBytes) {
            duration.observe(Unit.nanosToSeconds(totalNanos));
            if (firstByteNanos >= 0) {
                if (firstByte == null) {
                    firstByte = PrometheusHttpMetrics.this.firstByte.labelValues(template);
                }
                firstByte.observe(Unit.nanosToSeconds(firstByteNanos));
            }
            if (overheadNanos >= 0) {
                if (overhead == null) {
                    overhead = PrometheusHttpMetrics.this.overhead.labelValues(template);
                }
                overhead.observe(Unit.nanosToSeconds(overheadNanos));
            }
            if (responseBytes > 0) {
                this.responseBytes.inc(responseBytes);
            }
            // Last, so that a scrape that sees the request sees its timings too.
            requestsWith(status).inc();
        }

        /** Statuses outside 100-599 (none is sent) share slot 0, labelled as they are, so nothing grows unbounded. */
        private CounterDataPoint requestsWith(int status) {
            int slot = status >= 100 && status < STATUS_SLOTS ? status : 0;
            CounterDataPoint point = byStatus.get(slot);
            if (point == null) {
                point = requests.labelValues(template, slot == 0 ? "other" : Integer.toString(status));
                byStatus.compareAndSet(slot, null, point);
            }
            return point;
        }
    }
}
