package io.minilb.adapters.out.http;

import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;

/**
 * One execution on the shared client, which {@link #abort} ends for real: the exchange stops and
 * its connection closes, so the server sees the client go and frees the request's KV.
 *
 * <p>Cancelling the future {@code execute} returns is not enough. When the pool hands out an idle
 * connection at once, HttpClient 5.6's {@code AsyncConnectExec} makes the lease the future's
 * dependency after the exchange has already started on it; cancelling the future then only
 * cancels the finished lease, and the exchange runs on. So the client's first exec interceptor,
 * {@link #RUNTIME_RECORDER}, hands each execution's runtime to its handle, and {@code abort}
 * also discards the runtime's connection.
 */
final class AbortableExecution {

    private static final String ATTRIBUTE = AbortableExecution.class.getName();

    /** Installed first in the client's exec chain by {@link BackendHttpClients}; runs on the calling thread. */
    static final AsyncExecChainHandler RUNTIME_RECORDER = (request, entityProducer, scope, chain, callback) -> {
        if (scope.clientContext.getAttribute(ATTRIBUTE) instanceof AbortableExecution execution) {
            execution.runtime = scope.execRuntime;
        }
        chain.proceed(request, entityProducer, scope, callback);
    };

    private final HttpClientContext context = HttpClientContext.create();
    private volatile Future<?> future;
    private volatile AsyncExecRuntime runtime;
    private volatile boolean aborted;

    AbortableExecution() {
        context.setAttribute(ATTRIBUTE, this);
    }

    /** The context to execute with. */
    HttpClientContext context() {
        return context;
    }

    /** Takes the future {@code execute} returned, aborting at once if {@link #abort} came first. */
    void started(Future<?> execution) {
        future = execution;
        if (aborted) {
            abort();
        }
    }

    /** Idempotent; harmless once the execution has ended. */
    void abort() {
        aborted = true;
        Future<?> started = future;
        if (started != null) {
            started.cancel(true);
        }
        AsyncExecRuntime connection = runtime;
        if (connection != null) {
            connection.discardEndpoint();
        }
    }
}
