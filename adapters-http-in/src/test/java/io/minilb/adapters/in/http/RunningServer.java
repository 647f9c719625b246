package io.minilb.adapters.in.http;

import static org.mockito.Mockito.mock;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A started server on an ephemeral port, with an HTTP/1.1 client pointed at it. */
final class RunningServer implements AutoCloseable {

    static final int MAX_PAYLOAD_BYTES = 4096;

    final ServingState servingState = new ServingState();
    private final MiniLbHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin) {
        this(generations, admin, mock(ManageWorkersUseCase.class));
    }

    RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin, ManageWorkersUseCase workers) {
        this(generations, admin, workers, settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
                new MemoryBudget(Long.MAX_VALUE));
    }

    RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin, HttpServerSettings settings,
            MemoryBudget memoryBudget) {
        this(generations, admin, mock(ManageWorkersUseCase.class), settings, memoryBudget);
    }

    RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin, ManageWorkersUseCase workers,
            HttpServerSettings settings, MemoryBudget memoryBudget) {
        this(generations, admin, workers, settings, memoryBudget, AccessKeys.none());
    }

    RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin, ManageWorkersUseCase workers,
            AccessKeys keys) {
        this(generations, admin, workers, settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
                new MemoryBudget(Long.MAX_VALUE), keys);
    }

    private RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin, ManageWorkersUseCase workers,
            HttpServerSettings settings, MemoryBudget memoryBudget, AccessKeys keys) {
        server = new MiniLbHttpServer(generations, admin, workers, servingState, settings, memoryBudget,
                ServerFeatures.defaults().withAccessKeys(keys));
        server.start();
    }

    RunningServer(RouteGenerationUseCase generations, ClusterAdminUseCase admin,
            RequestContextSettings requestContext) {
        server = new MiniLbHttpServer(generations, admin, mock(ManageWorkersUseCase.class), servingState,
                settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT, HttpServerSettings.DEFAULT_MAX_CONNECTIONS,
                        HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES), new MemoryBudget(Long.MAX_VALUE),
                ServerFeatures.defaults().withRequestContext(requestContext));
        server.start();
    }

    /** Loopback, an ephemeral port and {@link #MAX_PAYLOAD_BYTES}, with the given client limits. */
    static HttpServerSettings settings(Duration requestReadTimeout, int maxConnections, int streamBufferBytes) {
        return new HttpServerSettings(
                "127.0.0.1", 0, MAX_PAYLOAD_BYTES, requestReadTimeout, maxConnections, streamBufferBytes);
    }

    int port() {
        return server.port();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.stop();
    }
}
