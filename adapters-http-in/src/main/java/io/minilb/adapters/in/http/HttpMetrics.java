package io.minilb.adapters.in.http;

import java.util.function.IntSupplier;

/** What the HTTP front reports about its requests and connections. Implementations are thread-safe. */
public interface HttpMetrics {

    /** Records nothing. */
    HttpMetrics NONE = new HttpMetrics() {
        @Override
        public RouteMetrics route(String template) {
            return (status, totalNanos, firstByteNanos, overheadNanos, responseBytes) -> { };
        }

        @Override
        public void rejected(Rejection reason) {
        }

        @Override
        public void clientConnections(IntSupplier open) {
        }
    };

    /** The recorder of one route, by its template (e.g. {@code /workers/{id}}), never a client's raw path. */
    RouteMetrics route(String template);

    void rejected(Rejection reason);

    /** Where to read the number of open client connections from, when asked. */
    void clientConnections(IntSupplier open);
}
