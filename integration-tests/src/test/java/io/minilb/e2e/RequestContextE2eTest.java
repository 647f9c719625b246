package io.minilb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.Observability;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Request ids, forwarded headers, the worker key and the access log, end to end, against stand-in servers that
 * record the headers of every request they get.
 */
class RequestContextE2eTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    private final HttpClient client = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("io.minilb.access");
    private RecordingServer prefill;
    private RecordingServer decode;

    @BeforeEach
    void startServers() throws IOException {
        accessLines.start();
        accessLogger.addAppender(accessLines);
        prefill = started.keep(new RecordingServer());
        decode = started.keep(new RecordingServer());
    }

    @AfterEach
    void stopCapture() {
        accessLogger.detachAppender(accessLines);
    }

    @Test
    void theClientsIdAndHeadersReachBothLegsButItsHopByHopHeadersDoNot() throws Exception {
        int port = startMiniLb(Optional.empty(), List.of("x-tenant", "x-connection-only")).port();

        try (var socket = new Socket("127.0.0.1", port)) {
            String body = "{\"text\": \"hi\"}";
            socket.getOutputStream().write(("POST /generate HTTP/1.1\r\nHost: lb\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nx-request-id: client-id-1\r\n"
                    + "Authorization: Bearer client-key\r\ntraceparent: " + TRACEPARENT + "\r\ntracestate: k=v\r\n"
                    + "X-Tenant: t1\r\nX-Connection-Only: secret\r\nConnection: close, X-Connection-Only\r\n"
                    + "Keep-Alive: timeout=99\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            String head = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .lines().takeWhile(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("x-request-id: client-id-1");
        }

        for (RecordingServer leg : List.of(prefill, decode)) {
            Map<String, List<String>> headers = leg.next("/generate");
            assertThat(headers.get("x-request-id")).containsExactly("client-id-1");
            assertThat(headers.get("authorization")).containsExactly("Bearer client-key");
            assertThat(headers.get("traceparent")).containsExactly(TRACEPARENT);
            assertThat(headers.get("tracestate")).containsExactly("k=v");
            assertThat(headers.get("x-tenant")).containsExactly("t1");
            assertThat(headers).doesNotContainKeys("x-connection-only", "te", "proxy-authorization");
            assertThat(headers.getOrDefault("keep-alive", List.of())).doesNotContain("timeout=99");
        }
    }

    @Test
    void theWorkerKeyReplacesTheClientsOnEveryCallToTheServersHealthChecksAndFlushesIncluded() throws Exception {
        int port = startMiniLb(Optional.of("worker-secret"), List.of()).port();
        assertThat(decode.next("/health").get("authorization")).as("the startup health check")
                .containsExactly("Bearer worker-secret");

        HttpResponse<String> answer = send(port, "/generate", "{\"text\": \"hi\"}", "Authorization", "Bearer user");
        HttpResponse<String> flush = send(port, "/flush_cache", "", "x-request-id", "flush-1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(flush.statusCode()).isEqualTo(200);
        assertThat(flush.headers().firstValue("x-request-id")).hasValue("flush-1");
        for (RecordingServer leg : List.of(prefill, decode)) {
            Map<String, List<String>> generation = leg.next("/generate");
            assertThat(generation.get("authorization")).containsExactly("Bearer worker-secret");
            assertThat(generation.get("x-request-id")).as("a generated id, the one echoed")
                    .containsExactly(answer.headers().firstValue("x-request-id").orElseThrow());
            Map<String, List<String>> flushed = leg.next("/flush_cache");
            assertThat(flushed.get("authorization")).containsExactly("Bearer worker-secret");
            assertThat(flushed.get("x-request-id")).containsExactly("flush-1");
        }
    }

    @Test
    void theIdIsEchoedOnStreamsAndErrorsAndTheAccessLogHasALinePerRequest() throws Exception {
        int port = startMiniLb(Optional.empty(), List.of()).port();

        HttpResponse<String> stream = send(port, "/generate", "{\"text\": \"hi\", \"stream\": true}",
                "x-correlation-id", "stream-1");
        HttpResponse<String> rejected = send(port, "/generate", "{\"text\": \"reject\"}", "x-request-id",
                "x".repeat(200));
        HttpResponse<String> notFound = send(port, "/nope", "", "x-request-id", "nf-1");

        assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(stream.headers().firstValue("x-request-id")).hasValue("stream-1");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.headers().firstValue("x-request-id")).as("an over-long id is replaced")
                .hasValueSatisfying(id -> assertThat(id).matches("gnt-[A-Za-z0-9]{24}"));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("x-request-id")).hasValue("nf-1");

        String line = awaitAccessLine("request_id=stream-1 ");
        assertThat(line).matches("request_id=stream-1 method=POST route=/generate status=200 prefill="
                + prefill.url() + " decode=" + decode.url() + " ttfb_ms=\\S+ total_ms=\\S+ bytes=\\d+ retries=0");
        assertThat(awaitAccessLine("request_id=nf-1 ")).contains("route=/nope status=404 prefill=- decode=-");
    }

    private MiniLb startMiniLb(Optional<String> workerKey, List<String> forwardHeaders) {
        var config = new MiniLbConfig("127.0.0.1", 0, List.of(PrefillWorker.of(prefill.url(), prefill.port())),
                List.of(new DecodeWorker(decode.url())), Duration.ofSeconds(30))
                .withObservability(new Observability(Observability.DEFAULT_REQUEST_ID_HEADERS, forwardHeaders,
                        workerKey, true, false, Optional.empty()));
        return started.keep(MiniLb.start(config));
    }

    private HttpResponse<String> send(int port, String path, String body, String header, String value)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String awaitAccessLine(String containing) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> accessLines.list.stream()
                .map(ILoggingEvent::getFormattedMessage).filter(line -> line.contains(containing)).findFirst()
                .orElse(null), line -> line != null);
    }

    /**
     * A stand-in SGLang server (and its own KV bootstrap server, on the same port) that records the headers of each
     * request: 200 with JSON, or a short event stream when the body asks for one, or 400 when the text is "reject".
     */
    private static final class RecordingServer implements AutoCloseable {

        private final HttpServer server;
        private final BlockingQueue<Map.Entry<String, Map<String, List<String>>>> received =
                new LinkedBlockingQueue<>();

        RecordingServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::answer);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + port();
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** The headers of the next request to this path (lower-case names), skipping requests to other paths. */
        Map<String, List<String>> next(String path) throws InterruptedException {
            while (true) {
                var request = received.poll(20, TimeUnit.SECONDS);
                assertThat(request).as("a request to " + path + " on " + url()).isNotNull();
                if (request.getKey().equals(path)) {
                    return request.getValue();
                }
            }
        }

        private void answer(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.entry(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().entrySet()
                    .stream().collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
                            (a, b) -> a))));
            boolean stream = body.contains("\"stream\": true") || body.contains("\"stream\":true");
            int status = body.contains("\"reject\"") ? 400 : 200;
            byte[] answer = (stream ? "data: {\"text\":\"ok\"}\n\ndata: [DONE]\n\n"
                    : status == 400 ? "{\"error\":{\"message\":\"rejected\"}}" : "{\"text\":\"ok\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
