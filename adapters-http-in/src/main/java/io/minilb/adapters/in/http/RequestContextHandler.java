package io.minilb.adapters.in.http;

import io.minilb.application.generation.RequestContext;
import io.minilb.application.generation.RequestLogging;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;

/**
 * The first handler of every request: gives it its id (see {@link RequestIds}), echoed as {@code x-request-id} on
 * whatever answer follows (errors and streams included), the headers it forwards (see {@link ForwardedHeaders}),
 * and, when the access log is on, its {@link AccessRecord}. The handlers after it run with the id in the logging
 * context.
 */
final class RequestContextHandler implements HttpHandler {

    static final HttpString REQUEST_ID_HEADER = HttpString.tryFromString(ForwardedHeaders.REQUEST_ID);
    private static final AttachmentKey<RequestContext> CONTEXT = AttachmentKey.create(RequestContext.class);

    private final RequestIds ids;
    private final ForwardedHeaders forwarded;
    private final boolean accessLog;
    private final HttpHandler next;

    RequestContextHandler(RequestContextSettings settings, HttpHandler next) {
        this.ids = new RequestIds(settings.requestIdHeaders());
        this.forwarded = new ForwardedHeaders(settings);
        this.accessLog = settings.accessLog();
        this.next = next;
    }

    /** The request's context; empty when no {@code RequestContextHandler} came first. */
    static RequestContext context(HttpServerExchange exchange) {
        RequestContext context = exchange.getAttachment(CONTEXT);
        return context == null ? RequestContext.empty() : context;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        String id = ids.resolve(exchange.getRequestHeaders(), exchange.getRequestPath());
        exchange.getResponseHeaders().put(REQUEST_ID_HEADER, id);
        var context = new RequestContext(id, forwarded.select(exchange.getRequestHeaders(), id));
        exchange.putAttachment(CONTEXT, context);
        if (accessLog) {
            AccessRecord record = AccessRecord.start(exchange, start);
            exchange.addExchangeCompleteListener((completed, nextListener) -> {
                try {
                    RequestLogging.run(context, () -> AccessLog.write(completed, record));
                } finally {
                    nextListener.proceed();
                }
            });
        }
        RequestLogging.run(context, () -> next.handleRequest(exchange));
    }
}
