package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.ManageWorkersUseCase;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RoutingTest {

    private final FakeGenerations generations = new FakeGenerations();
    private final ClusterAdminUseCase admin = mock(ClusterAdminUseCase.class);
    private final RunningServer server = new RunningServer(generations, admin);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthIsOkWithAnEmptyBodyWhileServing() throws Exception {
        HttpResponse<String> response = server.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void healthIsUnavailableWhileDraining() throws Exception {
        server.servingState.startDraining();

        assertThat(server.get("/health").statusCode()).isEqualTo(503);
    }

    @Test
    void anUnknownPathIsNotFound() throws Exception {
        HttpResponse<String> response = server.get("/health/");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(
                "{\"error\":{\"message\":\"no route for /health/\",\"type\":\"not_found\"}}");
    }

    @Test
    void aWrongMethodIsNotAllowedAndNamesTheRightOne() throws Exception {
        HttpResponse<String> getGenerate = server.get("/generate");
        HttpResponse<String> postHealth = server.post("/health", "");
        HttpResponse<String> deleteModels = server.send(server.request("/v1/models").DELETE().build());

        assertThat(getGenerate.statusCode()).isEqualTo(405);
        assertThat(getGenerate.headers().firstValue("Allow")).hasValue("POST");
        assertThat(getGenerate.body()).isEqualTo("{\"error\":{\"message\":\"GET is not allowed on /generate; use POST\","
                + "\"type\":\"method_not_allowed\"}}");
        assertThat(postHealth.statusCode()).isEqualTo(405);
        assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(deleteModels.statusCode()).isEqualTo(405);
        assertThat(deleteModels.headers().firstValue("Allow")).hasValue("GET");
        assertThat(generations.noneRouted()).isTrue();
        verifyNoInteractions(admin);
    }

    @Test
    void aQueryStringDoesNotChangeTheRoute() throws Exception {
        assertThat(server.send(server.request("/health?probe=1").GET().build()).statusCode()).isEqualTo(200);
    }

    @Test
    void theBoundPortIsTheEphemeralOneAndUnknownBeforeStart() {
        var notStarted = new MiniLbHttpServer(generations, admin, mock(ManageWorkersUseCase.class), server.servingState,
                RunningServer.settings(Duration.ofSeconds(1), 1, 1), new MemoryBudget(1));

        assertThat(server.port()).isPositive();
        assertThatThrownBy(notStarted::port).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void settingsRefuseALimitUndertowCannotBuffer() {
        assertThatThrownBy(() -> new HttpServerSettings("0.0.0.0", 8000, 1L + Integer.MAX_VALUE,
                Duration.ofSeconds(1), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
