package io.minilb.adapters.in.http.metrics;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Enumeration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the Prometheus client's own scrape handler (format negotiated from {@code Accept}, gzip,
 * {@code name[]} filters) over an Undertow exchange. The scrape is written into memory (its size is bounded by the
 * series, themselves bounded: no label takes a value from a client) and sent without blocking the IO thread.
 */
final class ScrapeEndpoint implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeEndpoint.class);

    private final PrometheusScrapeHandler scrapes;

    ScrapeEndpoint(PrometheusRegistry registry) {
        this.scrapes = new PrometheusScrapeHandler(registry);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        scrapes.handleRequest(new Scrape(exchange));
    }

    /** One scrape: the handler's view of the exchange. */
    private static final class Scrape implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {

        private final HttpServerExchange exchange;
        private ByteArrayOutputStream body;

        Scrape(HttpServerExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return this;
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public String getQueryString() {
            return exchange.getQueryString();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            var values = exchange.getRequestHeaders().get(name);
            return values == null ? Collections.emptyEnumeration() : Collections.enumeration(values);
        }

        @Override
        public String getMethod() {
            return exchange.getRequestMethod().toString();
        }

        @Override
        public String getRequestPath() {
            return exchange.getRequestPath();
        }

        @Override
        public void setHeader(String name, String value) {
            exchange.getResponseHeaders().put(HttpString.tryFromString(name), value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
            exchange.setStatusCode(statusCode);
            body = new ByteArrayOutputStream(Math.max(contentLength, 0));
            return body;
        }

        @Override
        public void handleException(IOException e) {
            failed(e);
        }

        @Override
        public void handleException(RuntimeException e) {
            failed(e);
        }

        private void failed(Exception e) {
            LOG.error("a metrics scrape failed", e);
            if (!exchange.isResponseStarted()) {
                exchange.setStatusCode(500);
                exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH); // set for the body that is not sent
                body = null;
            }
        }

        /** Sends what was written; the handler calls it once, however the scrape went. */
        @Override
        public void close() {
            if (body == null || body.size() == 0) {
                exchange.endExchange();
            } else {
                exchange.getResponseSender().send(ByteBuffer.wrap(body.toByteArray()));
            }
        }
    }
}
