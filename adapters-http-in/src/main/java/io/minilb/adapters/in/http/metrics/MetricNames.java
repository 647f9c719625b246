package io.minilb.adapters.in.http.metrics;

import java.util.List;

/**
 * The name of every metric mini-lb exports besides the JVM's ({@code jvm_*}, {@code process_*}): the one list the
 * README and the Grafana dashboard are checked against. Counters are named without {@code _total}, which the
 * exposition adds.
 */
final class MetricNames {

    static final String PREFIX = "mini_lb_";
    static final String HTTP_REQUESTS = PREFIX + "http_requests";
    static final String HTTP_REQUEST_DURATION = PREFIX + "http_request_duration_seconds";
    static final String TIME_TO_FIRST_BYTE = PREFIX + "time_to_first_byte_seconds";
    static final String OVERHEAD = PREFIX + "overhead_seconds";
    static final String RESPONSE_BYTES = PREFIX + "http_response_bytes";
    static final String REJECTED_REQUESTS = PREFIX + "rejected_requests";
    static final String CLIENT_CONNECTIONS = PREFIX + "client_connections";
    static final String BACKEND_CONNECTIONS = PREFIX + "backend_connections";
    static final String ADMISSION_REQUESTS = PREFIX + "admission_requests";
    static final String WORKER_REQUESTS = PREFIX + "worker_requests";
    static final String WORKER_FAILURES = PREFIX + "worker_failures";
    static final String WORKER_REQUEST_DURATION = PREFIX + "worker_request_duration_seconds";
    static final String WORKER_REQUESTS_ACTIVE = PREFIX + "worker_requests_active";
    static final String WORKER_HEALTH = PREFIX + "worker_health";
    static final String WORKER_CB_STATE = PREFIX + "worker_cb_state";
    static final String RETRIES = PREFIX + "retries";
    static final String NO_AVAILABLE_WORKER = PREFIX + "no_available_worker";

    static final List<String> ALL = List.of(HTTP_REQUESTS, HTTP_REQUEST_DURATION, TIME_TO_FIRST_BYTE, OVERHEAD,
            RESPONSE_BYTES, REJECTED_REQUESTS, CLIENT_CONNECTIONS, BACKEND_CONNECTIONS, ADMISSION_REQUESTS,
            WORKER_REQUESTS, WORKER_FAILURES, WORKER_REQUEST_DURATION, WORKER_REQUESTS_ACTIVE, WORKER_HEALTH,
            WORKER_CB_STATE, RETRIES, NO_AVAILABLE_WORKER);

    private MetricNames() {
    }
}
