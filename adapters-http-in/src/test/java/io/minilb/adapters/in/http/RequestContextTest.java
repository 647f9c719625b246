package io.minilb.adapters.in.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.minilb.application.admin.AdminRequest;
import io.minilb.application.admin.ClusterReplies;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.RequestContext;
import io.minilb.application.generation.RequestLogging;
import io.minilb.application.generation.Side;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.slf4j.LoggerFactory;

class RequestContextTest {

    private static final String GENERATED = "gnt-[A-Za-z0-9]{24}";

    private final FakeGenerations generations = new FakeGenerations();
    private final ClusterAdminUseCase admin = mock(ClusterAdminUseCase.class);
    private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    private RunningServer server;

    @BeforeEach
    void captureTheAccessLog() {
        accessLines.start();
        accessLogger.addAppender(accessLines);
    }

    @AfterEach
    void stop() {
        accessLogger.detachAppender(accessLines);
        if (server != null) {
            server.close();
        }
    }

    private RunningServer start(List<String> forwardHeaders, boolean accessLog) {
        server = new RunningServer(generations, admin, new RequestContextSettings(
                RequestContextSettings.DEFAULT_REQUEST_ID_HEADERS, forwardHeaders, accessLog));
        return server;
    }

    @Test
    void theFirstRequestIdHeaderAndTheForwardedHeadersReachTheUseCaseButNoHopByHopHeader() throws Exception {
        start(List.of("x-tenant", "x-dropped-by-connection", "keep-alive-ish"), true);
        try (var connection = new RawHttpConnection(server.port())) {
            connection.send(withHeaders(RawHttpConnection.post("/generate", "{\"text\": \"hi\"}"),
                    "X-Correlation-Id: corr-1", "Request-Id: second-choice", "Authorization: Bearer client-key",
                    "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate: a=b",
                    "X-Tenant: t1", "X-Dropped-By-Connection: secret", "Connection: keep-alive, X-Dropped-By-Connection",
                    "Keep-Alive: timeout=5", "Proxy-Authorization: Basic eDp5", "TE: trailers", "X-Other: not-listed"));
            FakeGenerations.Generation generation = generations.next();
            generation.observer.onResponse(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            RawHttpConnection.Head head = connection.readHead();

            assertThat(head.header("x-request-id")).isEqualTo("corr-1");
            RequestContext context = generation.request.context();
            assertThat(context.requestId()).isEqualTo("corr-1");
            assertThat(context.headers()).extracting(h -> h.name() + ": " + h.value()).containsExactlyInAnyOrder(
                    "x-request-id: corr-1", "x-correlation-id: corr-1", "request-id: second-choice",
                    "authorization: Bearer client-key",
                    "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate: a=b",
                    "x-tenant: t1");
        }
    }

    @Test
    void anIdIsGeneratedWhenTheClientSentNoneAndEchoedOnEveryKindOfAnswer() throws Exception {
        start(List.of(), true);
        var answer = server.client().sendAsync(server.request("/generate")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        FakeGenerations.Generation generation = generations.next();
        generation.observer.onFailure(new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE, "down"));

        String id = answer.get().headers().firstValue("x-request-id").orElseThrow();
        assertThat(answer.get().statusCode()).isEqualTo(502);
        assertThat(id).matches(GENERATED).isEqualTo(generation.request.context().requestId());
        assertThat(server.get("/no/such/route").headers().firstValue("x-request-id")).hasValueSatisfying(
                other -> assertThat(other).matches("req-[A-Za-z0-9]{24}").isNotEqualTo(id));
        assertThat(server.post("/generate", "not json").headers().firstValue("x-request-id")).isPresent();
        assertThat(server.send(server.request("/health").header("x-request-id", "mine").GET().build())
                .headers().firstValue("x-request-id")).hasValue("mine");
    }

    @Test
    void aStreamCarriesTheId() throws Exception {
        start(List.of(), true);
        try (var connection = new RawHttpConnection(server.port())) {
            connection.send(withHeaders(RawHttpConnection.post("/generate", "{\"text\": \"hi\", \"stream\": true}"),
                    "x-request-id: stream-7"));
            FakeGenerations.Generation generation = generations.next();
            generation.observer.onStreamStart();
            generation.observer.onFrame("data: {}\n\n".getBytes(StandardCharsets.US_ASCII));
            generation.observer.onStreamEnd();

            RawHttpConnection.Head head = connection.readHead();
            assertThat(head.header("content-type")).startsWith("text/event-stream");
            assertThat(head.header("x-request-id")).isEqualTo("stream-7");
        }
    }

    @Test
    void anOverLongOrUnprintableIdIsReplacedAndNotForwarded() throws Exception {
        start(List.of(), true);
        String overLong = "a".repeat(RequestIds.MAX_LENGTH + 1);
        for (String bad : List.of(overLong, "two words", "caf\u00e9")) {
            try (var connection = new RawHttpConnection(server.port())) {
                connection.send(withHeaders(RawHttpConnection.post("/generate", "{\"text\": \"hi\"}"),
                        "x-request-id: " + bad));
                FakeGenerations.Generation generation = generations.next();
                generation.observer.onResponse(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                RawHttpConnection.Head head = connection.readHead();

                assertThat(head.header("x-request-id")).matches(GENERATED);
                assertThat(generation.request.context().headers())
                        .extracting(RequestContext.Header::value).doesNotContain(bad);
            }
        }
        assertThat(RequestIds.acceptable("a".repeat(RequestIds.MAX_LENGTH))).isTrue();
        assertThat(RequestIds.acceptable("line\nbreak")).isFalse();
    }

    @Test
    void whatIsForwardedIsBoundedInCountAndBytes() throws Exception {
        List<String> many = IntStream.range(0, 2 * ForwardedHeaders.MAX_HEADERS).mapToObj(i -> "x-h" + i).toList();
        start(many, true);
        String value = "v".repeat(1000);
        try (var connection = new RawHttpConnection(server.port())) {
            connection.send(withHeaders(RawHttpConnection.post("/generate", "{\"text\": \"hi\"}"),
                    many.stream().map(name -> name + ": " + value).toArray(String[]::new)));
            FakeGenerations.Generation generation = generations.next();
            generation.observer.onResponse(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            connection.readHead();

            List<RequestContext.Header> forwarded = generation.request.context().headers();
            assertThat(forwarded).hasSizeLessThanOrEqualTo(ForwardedHeaders.MAX_HEADERS).hasSizeGreaterThan(1);
            assertThat(forwarded.stream().mapToInt(h -> h.name().length() + h.value().length()).sum())
                    .isLessThanOrEqualTo(ForwardedHeaders.MAX_BYTES);
        }
        try (var connection = new RawHttpConnection(server.port())) {
            connection.send(withHeaders(RawHttpConnection.post("/generate", "{\"text\": \"hi\"}"),
                    many.stream().map(name -> name + ": v").toArray(String[]::new)));
            FakeGenerations.Generation generation = generations.next();
            generation.observer.onResponse(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            connection.readHead();

            assertThat(generation.request.context().headers()).hasSize(ForwardedHeaders.MAX_HEADERS);
        }
    }

    @Test
    void hopByHopHeadersCannotBeConfiguredForForwarding() {
        for (String name : List.of("Connection", "host", "content-length", "transfer-encoding", "proxy-authorization")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RequestContextSettings(
                            RequestContextSettings.DEFAULT_REQUEST_ID_HEADERS, List.of(name), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never forwarded");
        }
    }

    @Test
    void oneAccessLogLinePerRequestNamesTheLastPairAndTheRetries() throws Exception {
        start(List.of(), true);
        var answer = server.client().sendAsync(server.request("/generate").header("x-request-id", "acc-1")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\": \"hi\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        FakeGenerations.Generation generation = generations.next();
        generation.observer.onRouted("http://p1:30000", "http://d1:30001", 1);
        generation.observer.onRouted("http://p2:30000", "http://d2:30001", 2);
        generation.observer.onResponse(200, "application/json", "{\"text\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get().statusCode()).isEqualTo(200);

        ILoggingEvent line = awaitLine("request_id=acc-1 ");
        assertThat(line.getFormattedMessage()).matches("request_id=acc-1 method=POST route=/generate status=200 "
                + "prefill=http://p2:30000 decode=http://d2:30001 ttfb_ms=\\d+\\.\\d total_ms=\\d+\\.\\d "
                + "bytes=13 retries=1");
        assertThat(line.getMDCPropertyMap()).containsEntry(RequestLogging.REQUEST_ID_KEY, "acc-1");

        server.get("/nothing%0Ahere%20request_id=forged");
        ILoggingEvent notFound = awaitLine("status=404");
        assertThat(notFound.getFormattedMessage()).doesNotContain("\n")
                .contains("prefill=- decode=- ").contains("retries=0").contains("route=/nothing?here?request_id=forged");
    }

    @Test
    void noAccessLogWhenItIsOff() throws Exception {
        start(List.of(), false);
        server.get("/health");
        server.get("/health");

        assertThat(accessLines.list).isEmpty();
    }

    @Test
    void adminFanOutsGetTheRequestContext() throws Exception {
        start(List.of(), true);
        when(admin.askAll(eq(AdminRequest.FLUSH_CACHE), any(RequestContext.class)))
                .thenReturn(CompletableFuture.completedFuture(new ClusterReplies(List.of(), List.of())));

        var answer = server.send(server.request("/flush_cache").header("x-request-id", "flush-1")
                .header("Authorization", "Bearer k").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(answer.statusCode()).isEqualTo(200);
        var context = ArgumentCaptor.forClass(RequestContext.class);
        verify(admin).askAll(eq(AdminRequest.FLUSH_CACHE), context.capture());
        assertThat(context.getValue().requestId()).isEqualTo("flush-1");
        assertThat(context.getValue().headers()).contains(new RequestContext.Header("authorization", "Bearer k"));
    }

    private ILoggingEvent awaitLine(String containing) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> accessLines.list.stream()
                .filter(event -> event.getFormattedMessage().contains(containing)).findFirst().orElse(null),
                event -> event != null);
    }

    /** The request with these header lines added after its request line. */
    private static String withHeaders(String request, String... headers) {
        int endOfRequestLine = request.indexOf("\r\n") + 2;
        return request.substring(0, endOfRequestLine)
                + java.util.Arrays.stream(headers).map(h -> h + "\r\n").collect(Collectors.joining())
                + request.substring(endOfRequestLine);
    }
}
