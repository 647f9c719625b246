package io.minilb.adapters.in.http;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.adapters.in.http.RouteTable.Route;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.admin.WorkerReply;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AccessControlTest {

    private static final String CLIENT_KEY = "client-key-1";
    private static final String ADMIN_KEY = "admin-key-2";
    private static final String GENERATE_BODY = "{\"text\": \"hi\"}";

    private final AtomicInteger generations = new AtomicInteger();
    private final RouteGenerationUseCase answering = (request, observer) -> {
        generations.incrementAndGet();
        observer.onResponse(200, "application/json", "{\"text\": \"ok\"}".getBytes(StandardCharsets.UTF_8));
        return mock(GenerationCall.class);
    };
    /** Its default methods (a client request's calls, with its context) reach the stubbed ones. */
    private final ClusterAdminUseCase admin =
            mock(ClusterAdminUseCase.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private RunningServer server;

    AccessControlTest() {
        when(admin.askAll(AdminRequest.FLUSH_CACHE)).thenReturn(completedFuture(new ClusterReplies(List.of(), List.of())));
        when(admin.askAnyPrefill(AdminRequest.MODELS)).thenReturn(completedFuture(WorkerReply.answered(
                "http://p:1", 200, "application/json", "{\"data\": []}".getBytes(StandardCharsets.UTF_8))));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void generationNeedsTheClientKeyAndIsNotRoutedWithoutIt() throws Exception {
        start(new AccessKeys(Optional.of(CLIENT_KEY), Optional.of(ADMIN_KEY)));

        HttpResponse<String> missing = generate(null);
        HttpResponse<String> wrong = generate("Bearer client-key-X");

        for (HttpResponse<String> refused : List.of(missing, wrong)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(type(refused)).isEqualTo("authentication_error");
        }
        assertThat(generations).hasValue(0);
        assertThat(generate("Bearer " + CLIENT_KEY).statusCode()).isEqualTo(200);
        assertThat(generate("bearer " + CLIENT_KEY).statusCode()).as("the scheme is case-insensitive").isEqualTo(200);
        assertThat(generate("Bearer " + ADMIN_KEY).statusCode()).as("the admin key opens everything").isEqualTo(200);
        assertThat(generate(CLIENT_KEY).statusCode()).as("a key without the Bearer scheme").isEqualTo(401);
        assertThat(generations).hasValue(3);
    }

    @Test
    void adminRoutesNeedTheAdminKeyAndTheClientKeyDoesNotOpenThem() throws Exception {
        start(new AccessKeys(Optional.of(CLIENT_KEY), Optional.of(ADMIN_KEY)));

        for (String route : List.of("/flush_cache", "/workers")) {
            boolean post = route.equals("/flush_cache");
            assertThat(call(route, post, null).statusCode()).isEqualTo(401);
            HttpResponse<String> withClientKey = call(route, post, CLIENT_KEY);
            assertThat(withClientKey.statusCode()).isEqualTo(403);
            assertThat(type(withClientKey)).isEqualTo("permission_error");
            assertThat(call(route, post, ADMIN_KEY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withOnlyAClientKeyTheAdminRoutesNeedIt() throws Exception {
        start(new AccessKeys(Optional.of(CLIENT_KEY), Optional.empty()));

        assertThat(call("/flush_cache", true, null).statusCode()).isEqualTo(401);
        assertThat(call("/flush_cache", true, CLIENT_KEY).statusCode()).isEqualTo(200);
        assertThat(call("/list_workers", false, CLIENT_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void withOnlyAnAdminKeyGenerationStaysOpenAndAdminRoutesDoNot() throws Exception {
        start(new AccessKeys(Optional.empty(), Optional.of(ADMIN_KEY)));

        assertThat(generate(null).statusCode()).isEqualTo(200);
        assertThat(call("/workers", false, null).statusCode()).isEqualTo(401);
        assertThat(call("/workers", false, ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void probesAndModelDiscoveryStayOpenWhateverTheKeys() throws Exception {
        start(new AccessKeys(Optional.of(CLIENT_KEY), Optional.of(ADMIN_KEY)));

        assertThat(call("/health", false, null).statusCode()).isEqualTo(200);
        assertThat(call("/v1/models", false, null).statusCode()).isEqualTo(200);
        assertThat(call("/v1/models", false, "wrong").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutKeysEverythingIsOpen() throws Exception {
        start(AccessKeys.none());

        assertThat(generate(null).statusCode()).isEqualTo(200);
        assertThat(call("/flush_cache", true, null).statusCode()).isEqualTo(200);
        assertThat(call("/workers", false, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRouteWithoutAnAccessClassIsRefusedAtStartup() {
        // Every route mini-lb serves has a class, or the server would not have been built.
        server = new RunningServer(answering, admin, mock(ManageWorkersUseCase.class), AccessKeys.none());
        List<Route> unclassified = List.of(new Route("GET", "/debug", exchange -> { }));

        assertThatThrownBy(() -> AccessGuard.guardAll(unclassified, AccessKeys.none()))
                .hasMessageContaining("/debug has no access class");
        assertThat(RouteAccess.of("/metrics")).contains(RouteAccess.ADMIN);
        assertThat(RouteAccess.of("/status.json")).contains(RouteAccess.ADMIN);
        // The page itself holds no data: only what it fetches is guarded.
        assertThat(RouteAccess.of("/")).contains(RouteAccess.OPEN);
        assertThat(RouteAccess.of("/status")).contains(RouteAccess.OPEN);
    }

    @Test
    void keysAreNeverPrintedAndMustBeUsable() {
        assertThat(new AccessKeys(Optional.of(CLIENT_KEY), Optional.of(ADMIN_KEY)).toString())
                .doesNotContain(CLIENT_KEY).doesNotContain(ADMIN_KEY);
        assertThatThrownBy(() -> new AccessKeys(Optional.of(" padded"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessKeys(Optional.of(CLIENT_KEY), Optional.of(CLIENT_KEY)))
                .hasMessageContaining("must differ");
    }

    private void start(AccessKeys keys) {
        server = new RunningServer(answering, admin, mock(ManageWorkersUseCase.class), keys);
    }

    private HttpResponse<String> generate(String authorization) throws Exception {
        HttpRequest.Builder request = server.request("/generate")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(GENERATE_BODY));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request.build());
    }

    private HttpResponse<String> call(String path, boolean post, String key) throws Exception {
        HttpRequest.Builder request = server.request(path);
        request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return server.send(request.build());
    }

    private static String type(HttpResponse<String> response) throws Exception {
        JsonNode body = Json.MAPPER.readTree(response.body());
        return body.path("error").path("type").asText();
    }
}
