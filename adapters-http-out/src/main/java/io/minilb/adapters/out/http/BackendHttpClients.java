package io.minilb.adapters.out.http;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** Builds the one pooled HTTP/1.1 client every backend call of the process shares. */
public final class BackendHttpClients {

    /**
     * Idle pooled connections are closed well before SGLang's server (uvicorn, keep-alive 5 s)
     * closes them itself, which could race with a request sent on them; retries being off, such
     * a race would fail a generation.
     */
    private static final TimeValue MAX_IDLE = TimeValue.ofSeconds(2);

    /** How long {@link #stop} lets connections close by themselves before closing them outright. */
    private static final TimeValue STOP_GRACE = TimeValue.ofSeconds(1);

    private BackendHttpClients() {
    }

    /** A started client; the caller ends it with {@link #stop} on shutdown. */
    public static CloseableHttpAsyncClient start(BackendClientSettings settings) {
        return start(settings, pool(settings));
    }

    /** The connection pool a client of these settings uses; {@link BackendConnections} counts its connections. */
    public static PoolingAsyncClientConnectionManager pool(BackendClientSettings settings) {
        return pool(settings, new LazyTlsStrategy(DefaultClientTlsStrategy::createDefault));
    }

    /** As {@link #pool(BackendClientSettings)}, with the TLS strategy of https routes given. */
    static PoolingAsyncClientConnectionManager pool(BackendClientSettings settings, TlsStrategy tls) {
        return PoolingAsyncClientConnectionManagerBuilder.create()
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
                .setMaxConnTotal(settings.maxConnectionsTotal())
                // No socket timeout: a non-streaming generation is silent until it is done; the
                // request timeout of each exchange bounds it instead.
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .build())
                // What the builder would make itself (httpclient5 5.6, Java 9+), but only on the first https route.
                .setTlsStrategy(tls)
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build();
    }

    /** As {@link #start(BackendClientSettings)}, over a pool from {@link #pool}, which the client then owns. */
    public static CloseableHttpAsyncClient start(
            BackendClientSettings settings, PoolingAsyncClientConnectionManager connections) {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Runtime.getRuntime().availableProcessors())
                        .setTcpNoDelay(true)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        // Without it a request would wait up to 3 minutes for a connection of a full pool.
                        .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
                        .setRedirectsEnabled(false)
                        .setContentCompressionEnabled(false)
                        .setExpectContinueEnabled(false)
                        .setProtocolUpgradeEnabled(false)
                        // Cancelling an exchange must close its connection, so the server frees the KV.
                        .setHardCancellationEnabled(true)
                        .build())
                // Keeps the data that arrives with a server's abrupt close (see DeferredEndOfStream).
                .setIoSessionDecorator(DeferredEndOfStream.DECORATOR)
                .setIOSessionListener(DeferredEndOfStream.LISTENER)
                .addExecInterceptorFirst("mini-lb-abortable-execution", AbortableExecution.GUARD)
                // A retried generation would reach a server twice with the same bootstrap room.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .disableContentCompression()
                .evictExpiredConnections()
                .evictIdleConnections(MAX_IDLE)
                .build();
        client.start();
        return client;
    }

    /**
     * Stops a client from {@link #start}, within about a second. Its IO threads close their
     * connections and end by themselves first: closing the client outright closes their selectors
     * under them, and each then logs a {@code ClosedSelectorException} as an error as it ends
     * (httpcore5 5.4, {@code SingleCoreIOReactor.doTerminate}). What is still open after the grace
     * period is closed outright.
     */
    public static void stop(CloseableHttpAsyncClient client) {
        client.initiateShutdown();
        try {
            client.awaitShutdown(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close(CloseMode.IMMEDIATE);
        }
    }
}
