package io.minilb.adapters.out.http;

import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.port.out.WorkerAdminClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;

/** Sends admin calls over the shared async client; every reply arrives within the timeout. */
public final class HttpClientWorkerAdminClient implements WorkerAdminClient {

    private final CloseableHttpAsyncClient client;
    private final Duration timeout;
    private final OutboundHeaders headers;

    /**
     * @param client the shared client from {@link BackendHttpClients}, whose exec interceptor lets
     *     a timed-out call close its connection
     * @param timeout how long a server has to answer
     */
    public HttpClientWorkerAdminClient(CloseableHttpAsyncClient client, Duration timeout) {
        this(client, timeout, OutboundHeaders.none());
    }

    /** @param headers the worker key, and a client request's forwarded headers, added to each call */
    public HttpClientWorkerAdminClient(CloseableHttpAsyncClient client, Duration timeout, OutboundHeaders headers) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.headers = Objects.requireNonNull(headers, "headers");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("admin timeout must be positive, got " + timeout);
        }
    }

    @Override
    public CompletableFuture<WorkerReply> send(String workerUrl, AdminRequest request) {
        return send(workerUrl, request, RequestContext.empty());
    }

    @Override
    public CompletableFuture<WorkerReply> send(String workerUrl, AdminRequest request, RequestContext context) {
        var reply = new CompletableFuture<WorkerReply>();
        var execution = new AbortableExecution();
        SimpleHttpRequest call = SimpleRequestBuilder.create(request.method()).setUri(workerUrl + request.path()).build();
        headers.addTo(call, context);
        execution.started(client.execute(call, execution.context(),
                new FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
                        reply.complete(WorkerReply.answered(workerUrl, response.getCode(),
                                contentType == null ? null : contentType.getValue(), response.getBodyBytes()));
                    }

                    @Override
                    public void failed(Exception error) {
                        reply.complete(WorkerReply.unreachable(workerUrl, TransportErrors.describe(error)));
                    }

                    @Override
                    public void cancelled() {
                        reply.complete(WorkerReply.unreachable(workerUrl, "cancelled"));
                    }
                }));
        WorkerReply timedOut = WorkerReply.unreachable(workerUrl, TransportErrors.timedOutAfter(timeout));
        reply.completeOnTimeout(timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS).thenAccept(answer -> {
            if (answer == timedOut) {
                execution.abort();
            }
        });
        return reply;
    }
}
