package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page and its data route in the route table, as the access guard sees them. */
@Timeout(30)
class StatusPageTest {

    private static final String ADMIN_KEY = "status-admin-key";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final MiniLbHttpServer server = new MiniLbHttpServer(new FakeGenerations(),
            mock(ClusterAdminUseCase.class), mock(ManageWorkersUseCase.class), new ServingState(),
            RunningServer.settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                    HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
            new MemoryBudget(Long.MAX_VALUE), ServerFeatures.defaults()
                    .withAccessKeys(new AccessKeys(Optional.empty(), Optional.of(ADMIN_KEY)))
                    .withStatusPage(exchange -> Responses.json(exchange, 200,
                            Json.MAPPER.createObjectNode().put("workers", "stand-in"))));

    StatusPageTest() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void thePageIsOpenAndRunsOnlyItsOwnScript() throws Exception {
        for (String path : new String[] {"/", "/status"}) {
            HttpResponse<String> page = get(path, null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>mini-lb status</title>").doesNotContain("innerHTML")
                    .doesNotContain("src=\"http").doesNotContain("href=\"http");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(
                    policy).contains("default-src 'none'", "connect-src 'self'",
                    "script-src '" + StatusPage.scriptHash(page.body()) + "'"));
        }
    }

    @Test
    void itsDataNeedsTheAdminKey() throws Exception {
        assertThat(get("/status.json", null).statusCode()).isEqualTo(401);
        assertThat(get("/status.json", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> data = get("/status.json", ADMIN_KEY);
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.body()).contains("stand-in");
    }

    @Test
    void theRootRouteMatchesOnlyTheRoot() throws Exception {
        // "/" is the one exact path that ends in a slash, like a parameter route's key: "/nope" is not under it.
        HttpResponse<String> response = get("/nope", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"type\":\"not_found\"");
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
