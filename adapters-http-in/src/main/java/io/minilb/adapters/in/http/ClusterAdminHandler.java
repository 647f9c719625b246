package io.minilb.adapters.in.http;

import io.minilb.application.generation.RequestContext;
import io.minilb.application.generation.RequestLogging;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route answered from calls to the backend servers. The calls complete on a client thread; the answer is
 * written back on the exchange's IO thread, the only thread that touches the exchange.
 */
abstract class ClusterAdminHandler<T> implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAdminHandler.class);

    @Override
    public final void handleRequest(HttpServerExchange exchange) {
        // Dispatching keeps Undertow from ending the exchange when this method returns.
        RequestContext context = RequestContextHandler.context(exchange);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> ask(context).whenComplete((answer, failure) ->
                exchange.getIoThread().execute(() -> answer(exchange, answer, failure))));
    }

    private void answer(HttpServerExchange exchange, T answer, Throwable failure) {
        if (failure == null) {
            respond(exchange, answer);
            return;
        }
        RequestLogging.run(RequestContextHandler.context(exchange),
                () -> LOG.error("{} failed", exchange.getRequestPath(), failure));
        Responses.error(exchange, 500, ErrorBody.INTERNAL, exchange.getRequestPath() + " failed: " + failure);
    }

    /** @param context the client request's id and forwarded headers, for the servers */
    protected abstract CompletableFuture<T> ask(RequestContext context);

    /** Runs on the IO thread. */
    protected abstract void respond(HttpServerExchange exchange, T answer);
}
