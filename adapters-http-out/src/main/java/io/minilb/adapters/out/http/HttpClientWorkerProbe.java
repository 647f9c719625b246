package io.minilb.adapters.out.http;

import io.minilb.application.health.ProbeResult;
import io.minilb.application.port.out.WorkerProbe;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;

/**
 * Health checks over the shared async client. A worker passes when its HTTP server answers {@code GET endpoint}
 * with a 2xx; a prefill also needs its KV bootstrap server to answer {@code GET /health} with a 2xx, since a decode
 * paired with a prefill whose bootstrap server it cannot reach waits for KV that never comes. Both are asked at
 * once; each has the timeout. Bodies are discarded as they arrive: a check holds no answer in memory.
 */
public final class HttpClientWorkerProbe implements WorkerProbe {

    /** The bootstrap port an SGLang prefill listens on when none is given ({@code --disaggregation-bootstrap-port}). */
    static final int SGLANG_DEFAULT_BOOTSTRAP_PORT = 8998;
    /** The route SGLang's bootstrap server answers for health, whatever the HTTP server's endpoint is. */
    static final String BOOTSTRAP_HEALTH_PATH = "/health";

    private final CloseableHttpAsyncClient client;
    private final Duration timeout;
    private final String endpoint;
    private final OutboundHeaders headers;

    /**
     * @param client the shared client from {@link BackendHttpClients}, whose exec interceptor lets a timed-out
     *     check close its connection
     * @param timeout how long each server has to answer
     * @param endpoint the path checked on the worker's HTTP server, e.g. {@code /health}
     */
    public HttpClientWorkerProbe(CloseableHttpAsyncClient client, Duration timeout, String endpoint) {
        this(client, timeout, endpoint, OutboundHeaders.none());
    }

    /**
     * @param headers adds the worker key to the check of the HTTP server, which SGLang guards with its
     *     {@code --api-key} (as SGLang's router does); the KV bootstrap server has no key
     */
    public HttpClientWorkerProbe(CloseableHttpAsyncClient client, Duration timeout, String endpoint,
            OutboundHeaders headers) {
        this.headers = Objects.requireNonNull(headers, "headers");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check timeout must be positive, got " + timeout);
        }
    }

    @Override
    public CompletableFuture<ProbeResult> check(Worker worker) {
        // The problem names the path only: the log line that reports it already names the worker by its URL.
        var httpCheck = new BasicHttpRequest(Method.GET, URI.create(worker.url() + endpoint));
        headers.addWorkerKey(httpCheck);
        CompletableFuture<ProbeResult> http = get(httpCheck, "GET " + endpoint);
        if (!(worker instanceof PrefillWorker prefill)) {
            return http;
        }
        String bootstrap = prefill.bootstrapHost() + ":"
                + prefill.bootstrapPort().orElse(SGLANG_DEFAULT_BOOTSTRAP_PORT);
        CompletableFuture<ProbeResult> kv = get(new BasicHttpRequest(Method.GET,
                        URI.create("http://" + bootstrap + BOOTSTRAP_HEALTH_PATH)),
                "its KV bootstrap server " + bootstrap + " did not answer GET " + BOOTSTRAP_HEALTH_PATH);
        return http.thenCombine(kv, ProbeResult::and);
    }

    /** @param what names the check in the problem, e.g. {@code GET /health} */
    private CompletableFuture<ProbeResult> get(HttpRequest request, String what) {
        var result = new CompletableFuture<ProbeResult>();
        var execution = new AbortableExecution();
        execution.started(client.execute(new BasicRequestProducer(request, null),
                new BasicResponseConsumer<>(new DiscardingEntityConsumer<Void>()), execution.context(),
                new FutureCallback<Message<HttpResponse, Void>>() {
                    @Override
                    public void completed(Message<HttpResponse, Void> response) {
                        int status = response.getHead().getCode();
                        result.complete(status / 100 == 2 ? ProbeResult.ok()
                                : ProbeResult.failed(what + ": HTTP " + status));
                    }

                    @Override
                    public void failed(Exception error) {
                        String problem = what + ": " + TransportErrors.describe(error);
                        // A connect that timed out is a server that cannot be reached in time, as much as one
                        // that takes the connection and never answers.
                        result.complete(error instanceof SocketTimeoutException
                                ? ProbeResult.unanswered(problem) : ProbeResult.failed(problem));
                    }

                    @Override
                    public void cancelled() {
                        result.complete(ProbeResult.failed(what + ": cancelled"));
                    }
                }));
        ProbeResult timedOut = ProbeResult.unanswered(what + ": " + TransportErrors.timedOutAfter(timeout));
        result.completeOnTimeout(timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS).thenAccept(answer -> {
            if (answer == timedOut) {
                execution.abort();
            }
        });
        return result;
    }
}
