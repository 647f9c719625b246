package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 details seen on the wire: HEAD, what a 404 echoes, request framing, and Undertow's own 400s. */
@Timeout(30)
class HttpFramingTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String HEAD_LIMIT_PROBE = "GET /health HTTP/1.1\r\nHost: test\r\nX-Pad: ";

    private final FakeGenerations generations = new FakeGenerations();
    private final RunningServer server = new RunningServer(generations, mock(ClusterAdminUseCase.class));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headOnHealthAnswersItsStatusWithoutABody() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("HEAD /health HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(connection.readHead().status()).isEqualTo(200);

            server.servingState.startDraining();
            connection.send("HEAD /health HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(connection.readHead().status()).isEqualTo(503);

            // Had a body followed either head, it would be read here in place of the next status line.
            connection.send("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(connection.readHead().status()).isEqualTo(503);
        }
    }

    @Test
    void aWrongMethodOnHealthNamesBothAllowedOnes() throws Exception {
        var response = server.post("/health", "");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(error(response.body()).get("message").asText())
                .isEqualTo("POST is not allowed on /health; use GET or HEAD");
    }

    @Test
    void aNotFoundEchoesOnlyAShortPrefixOfALongPath() throws Exception {
        String exactlyAtLimit = "/" + "p".repeat(RouteTable.PATH_ECHO_LIMIT - 1);
        String emoji = "\uD83D\uDE00"; // one code point, two chars

        assertThat(notFoundMessage(exactlyAtLimit)).isEqualTo("no route for " + exactlyAtLimit);
        assertThat(notFoundMessage(exactlyAtLimit + "p")).isEqualTo("no route for " + exactlyAtLimit + "...");
        // Cut after 64 code points, never inside one.
        assertThat(notFoundMessage("/" + URLEncoder.encode(emoji.repeat(1000), StandardCharsets.UTF_8)))
                .isEqualTo("no route for /" + emoji.repeat(RouteTable.PATH_ECHO_LIMIT - 1) + "...");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked, identity", "identity", "gzip", "gzip, chunked", "chunked;ext=1"})
    void aTransferEncodingOtherThanChunkedIsRefusedAndTheConnectionClosed(String codings) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /generate HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: " + codings + "\r\n\r\n");

            RawHttpConnection.Head head = connection.readHead();

            assertThat(head.status()).isEqualTo(400);
            assertThat(head.header("Connection")).isEqualTo("close");
            assertThat(error(connection.readBody(head))).isEqualTo(PLAIN.readTree("""
                    {"message": "the only Transfer-Encoding accepted is \\"chunked\\"; send the body chunked \
                    or with a Content-Length", "type": "invalid_request_error"}"""));
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(generations.noneRouted()).isTrue();
    }

    @Test
    void plainChunkedIsAcceptedInAnyCase() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send("POST /generate HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: Chunked \r\n\r\n"
                    + RawHttpConnection.chunk("{\"text\": \"hi\"}") + "0\r\n\r\n");

            assertThat(generations.next().request.endpoint()).isEqualTo(Endpoint.GENERATE);
        }
    }

    /**
     * Undertow answers these itself, before any handler of ours runs, with a fixed 400 whose body is empty: what we
     * can promise is that they are refused, the connection closed, and no route reached.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "GET /health HTTP/1.1\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n",
        "POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: 2, 3\r\n\r\n",
        "POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /generate HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "NOT HTTP AT ALL\r\n\r\n",
    })
    void requestsUndertowRefusesItselfAreClosedAndReachNoRoute(String request) throws Exception {
        assertRefusedByUndertow(request);
    }

    @Test
    void aRequestHeadIsLimited() throws Exception {
        int padding = MiniLbHttpServer.MAX_REQUEST_HEAD_BYTES - HEAD_LIMIT_PROBE.length() - "\r\n\r\n".length();
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(HEAD_LIMIT_PROBE + "x".repeat(padding) + "\r\n\r\n");

            assertThat(connection.readHead().status()).isEqualTo(200);
        }
        // One byte more, sent whole so that the server has read all of it when it closes.
        assertRefusedByUndertow(HEAD_LIMIT_PROBE + "x".repeat(padding + 1) + "\r\n\r\n");
    }

    private void assertRefusedByUndertow(String request) throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(server.port())) {
            connection.send(request);

            RawHttpConnection.Head head = connection.readHead();

            assertThat(head.status()).isEqualTo(400);
            assertThat(head.header("Connection")).isEqualTo("close");
            connection.readBody(head);
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(generations.noneRouted()).isTrue();
    }

    private String notFoundMessage(String path) throws Exception {
        var response = server.get(path);
        assertThat(response.statusCode()).isEqualTo(404);
        return error(response.body()).get("message").asText();
    }

    private static JsonNode error(String body) throws Exception {
        return PLAIN.readTree(body).get("error");
    }
}
