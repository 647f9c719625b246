package io.minilb.adapters.in.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Refuses a request framed by any Transfer-Encoding but plain {@code chunked}, before any route sees it. Undertow
 * decodes every coding other than {@code identity} as chunked, so {@code chunked, identity} or {@code gzip} would be
 * read one way here and perhaps another way by a proxy in front: the disagreement request smuggling lives on. The
 * end of such a body cannot be trusted, so the connection is closed after the 400.
 */
final class TransferEncodingGuard implements HttpHandler {

    private static final String CHUNKED = "chunked";

    private final HttpHandler next;

    TransferEncodingGuard(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String codings = exchange.getRequestHeaders().getFirst(Headers.TRANSFER_ENCODING);
        if (codings != null && !codings.strip().equalsIgnoreCase(CHUNKED)) {
            exchange.setPersistent(false);
            Responses.error(exchange, 400, ErrorBody.INVALID_REQUEST,
                    "the only Transfer-Encoding accepted is \"chunked\"; send the body chunked or with a Content-Length");
            return;
        }
        next.handleRequest(exchange);
    }
}
