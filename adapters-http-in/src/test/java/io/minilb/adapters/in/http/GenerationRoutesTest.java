package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.Side;
import io.minilb.application.port.in.ClusterAdminUseCase;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.PrefillWorker;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class GenerationRoutesTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final int MAX = RunningServer.MAX_PAYLOAD_BYTES;

    private final FakeGenerations generations = new FakeGenerations();
    private final RunningServer server = new RunningServer(generations, mock(ClusterAdminUseCase.class));

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void eachEndpointRoutesTheParsedRequestAndWritesTheDecodeAnswer(Endpoint endpoint) throws Exception {
        CompletableFuture<HttpResponse<String>> response = postAsync(endpoint.path(),
                "{\"text\": \"hi\", \"prompt\": \"hi\", \"messages\": [{\"role\": \"user\"}],"
                        + " \"return_logprob\": true}");

        FakeGenerations.Generation generation = generations.next();
        assertThat(generation.request.endpoint()).isEqualTo(endpoint);
        assertThat(generation.request.stream()).isFalse();
        assertThat(generation.request.returnLogprob()).isTrue();
        assertThat(PLAIN.readTree(generation.request.payload().renderWith(
                BootstrapAssignment.single(PrefillWorker.of("http://p:1", 2), new BootstrapRoom(3)))))
                .isEqualTo(PLAIN.readTree("""
                        {"text": "hi", "prompt": "hi", "messages": [{"role": "user"}], "return_logprob": true,
                         "bootstrap_host": "p", "bootstrap_port": 2, "bootstrap_room": 3}"""));
        assertThat(response).isNotDone();

        generation.observer.onResponse(200, "application/json", "{\"text\": \"hello\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(response.get().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.get().body()).isEqualTo("{\"text\": \"hello\"}");
    }

    @Test
    void aDecodeErrorKeepsItsStatusAndBody() throws Exception {
        CompletableFuture<HttpResponse<String>> response = postAsync("/generate", "{\"text\": \"hi\"}");

        generations.next().observer.onResponse(400, "application/json",
                "{\"object\": \"error\", \"message\": \"bad sampling params\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.get().statusCode()).isEqualTo(400);
        assertThat(response.get().body()).isEqualTo("{\"object\": \"error\", \"message\": \"bad sampling params\"}");
    }

    @Test
    void aBatchIsRoutedWithItsSize() throws Exception {
        postAsync("/generate", "{\"input_ids\": [[1], [2], [3]]}");

        assertThat(generations.next().request.batchSize()).hasValue(3);
    }

    @Test
    void theRoutingKeyHeaderAndThePromptReachTheUseCase() throws Exception {
        server.client().sendAsync(server.request("/generate").header("X-SMG-Routing-Key", "conversation-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"A shared system prompt\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        var routing = generations.next().request.routing();
        assertThat(routing.routingKey()).contains("conversation-42");
        assertThat(routing.promptText()).isEqualTo("A shared system prompt");
    }

    @ParameterizedTest
    @CsvSource({"UNREACHABLE, PREFILL, 502", "TIMEOUT, DECODE, 504", "UPSTREAM_ERROR, PREFILL, 502"})
    void aFailureBeforeAnyAnswerIsAnErrorNamingTheSide(GenerationFailure.Kind kind, Side side, int status)
            throws Exception {
        CompletableFuture<HttpResponse<String>> response = postAsync("/v1/completions", "{\"prompt\": \"hi\"}");

        generations.next().observer.onFailure(new GenerationFailure(side, kind, "server http://x:1 failed"));

        assertThat(response.get().statusCode()).isEqualTo(status);
        assertThat(response.get().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(PLAIN.readTree(response.get().body())).isEqualTo(PLAIN.createObjectNode().set("error",
                PLAIN.createObjectNode().put("message", "server http://x:1 failed").put("type", kind.type())
                        .put("side", side.label())));
    }

    @Test
    void aUseCaseThatThrowsIsAnInternalError() throws Exception {
        RouteGenerationUseCase broken = (request, observer) -> {
            throw new IllegalStateException("no pair");
        };
        try (RunningServer brokenServer = new RunningServer(broken, mock(ClusterAdminUseCase.class))) {
            HttpResponse<String> response = brokenServer.post("/generate", "{\"text\": \"hi\"}");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(PLAIN.readTree(response.body()).at("/error/type").asText()).isEqualTo("internal_error");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/generate             | {\"text\": \"hi\"                  | request body is not valid JSON",
        "/v1/chat/completions  | [{\"role\": \"user\"}]              | request body must be a JSON object, got ARRAY",
        "/generate             | {\"text\": []}                      | \"text\" must not be an empty list",
        "/generate             | {\"input_ids\": []}                 | \"input_ids\" must not be an empty list",
        "/v1/completions       | {\"prompt\": \"x\", \"stream\": 2}  | \"stream\" must be a boolean",
        "/generate             | {\"text\": 1e2147483648}          | request body has a number too large",
        // The bodies that used to get a 400 or a 502 depending on which server answered first.
        "/generate             | {\"text\": {\"a\": 1}}            | \"text\" must be a string or a list of strings",
        "/generate             | {\"text\": 5}                     | \"text\" must be a string or a list of strings",
        "/generate             | {\"input_ids\": [[]]}             | \"input_ids[0]\" must not be an empty list",
        "/generate             | {\"input_ids\": [\"a\"]}          | \"input_ids\" must be a list of token ids",
        "/v1/chat/completions  | {\"messages\": \"hi\"}            | \"messages\" must be a non-empty list",
        "/generate             | {\"text\": \"x\", \"sampling_params\": {\"max_new_tokens\": -1}} "
                + "| \"sampling_params.max_new_tokens\" must be a number of at least 0, got -1",
    })
    void badInputIsRefusedWithoutReachingTheUseCase(String path, String body, String message) throws Exception {
        HttpResponse<String> response = server.post(path, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = PLAIN.readTree(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).startsWith(message);
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void anEmptyBodyIsRefused() throws Exception {
        HttpResponse<String> response = server.send(server.request("/generate")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        postAsync("/generate", textBodyOfLength(MAX));

        assertThat(generations.next().request.endpoint()).isEqualTo(Endpoint.GENERATE);
    }

    @Test
    void aChunkedBodyOfExactlyTheLimitIsAccepted() throws Exception {
        server.client().sendAsync(chunkedPost(textBodyOfLength(MAX)), HttpResponse.BodyHandlers.ofString());

        assertThat(generations.next().request.endpoint()).isEqualTo(Endpoint.GENERATE);
    }

    @Test
    void aClientExpectingContinueIsToldToSendItsBody() throws Exception {
        String body = "{\"text\": \"hi\"}";
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /generate HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: "
                    + body.length() + "\r\n\r\n");

            assertThat(connection.readHead().status()).isEqualTo(100);
            connection.send(body);

            assertThat(generations.next().request.endpoint()).isEqualTo(Endpoint.GENERATE);
        }
    }

    @Test
    void aBodyDeclaredTooBigIsRefusedBeforeItIsSent() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: " + (MAX + 1) + "\r\n\r\n");

            RawHttpConnection.Head head = connection.readHead();

            assertThat(head.status()).isEqualTo(413);
            assertThat(head.header("Connection")).isEqualTo("close");
            assertTooBig(connection.readBody(head));
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void aChunkedBodyIsRefusedOnceItGrowsTooBig() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /generate HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
            String piece = "x".repeat(1000);
            for (int sent = 0; sent <= MAX; sent += piece.length()) {
                connection.send(RawHttpConnection.chunk(piece)); // never terminated: the server must not wait for the end
            }

            RawHttpConnection.Head head = connection.readHead();

            assertThat(head.status()).isEqualTo(413);
            assertTooBig(connection.readBody(head));
        }
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void aTooBigBodyIsRefusedThroughAnOrdinaryClientToo() throws Exception {
        HttpResponse<String> response = server.send(chunkedPost(textBodyOfLength(MAX + 1)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(generations.noneRouted()).isTrue();
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return server.client().sendAsync(server.request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Without a length, HttpClient sends the body chunked. */
    private HttpRequest chunkedPost(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return server.request("/generate")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
    }

    private static String textBodyOfLength(int length) {
        String empty = "{\"text\": \"\"}";
        return "{\"text\": \"" + "a".repeat(length - empty.length()) + "\"}";
    }

    private static void assertTooBig(String body) throws Exception {
        assertThat(PLAIN.readTree(body)).isEqualTo(PLAIN.readTree(
                "{\"error\": {\"message\": \"request body is larger than the limit of " + MAX + " bytes\","
                        + " \"type\": \"invalid_request_error\"}}"));
    }
}
