package io.minilb.adapters.in.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.Side;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StreamingTest {

    private static final String STREAM_REQUEST = "{\"text\": \"hi\", \"stream\": true}";

    private final FakeGenerations generations = new FakeGenerations();
    private final RunningServer server = new RunningServer(generations, mock(ClusterAdminUseCase.class));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eachFrameReachesTheClientBeforeTheNextIsProduced() throws Exception {
        CompletableFuture<HttpResponse<InputStream>> response = server.client().sendAsync(
                server.request("/generate").POST(HttpRequest.BodyPublishers.ofString(STREAM_REQUEST)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        FakeGenerations.Generation generation = generations.next();
        assertThat(generation.request.stream()).isTrue();

        generation.observer.onStreamStart();

        HttpResponse<InputStream> head = response.get(); // the headers arrive before any frame
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-cache");
        BufferedReader body = new BufferedReader(new InputStreamReader(head.body(), UTF_8));
        for (int i = 1; i <= 3; i++) {
            generation.observer.onFrame(frame("{\"text\": \"" + i + "\"}"));
            assertThat(body.readLine()).isEqualTo("data: {\"text\": \"" + i + "\"}");
            assertThat(body.readLine()).isEmpty();
        }
        generation.observer.onFrame(frame("[DONE]"));
        generation.observer.onStreamEnd();
        assertThat(body.readLine()).isEqualTo("data: [DONE]");
        assertThat(body.readLine()).isEmpty();
        assertThat(body.readLine()).as("end of the response").isNull();
        assertThat(generation.isCancelled()).isFalse();
    }

    @Test
    void manyFramesFromAnotherThreadArriveCompleteAndInOrder() throws Exception {
        int frames = 20_000;
        String padding = "x".repeat(200); // enough to fill socket buffers, so writing has to wait for the client
        CompletableFuture<HttpResponse<String>> response = server.client().sendAsync(
                server.request("/generate").POST(HttpRequest.BodyPublishers.ofString(STREAM_REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
        GenerationObserver observer = generations.next().observer;

        Thread backend = new Thread(() -> {
            observer.onStreamStart();
            IntStream.range(0, frames).forEach(i -> observer.onFrame(frame(i + padding)));
            observer.onStreamEnd();
        });
        backend.start();

        List<String> expected = new ArrayList<>();
        IntStream.range(0, frames).forEach(i -> expected.add("data: " + i + padding + "\n\n"));
        assertThat(response.get().body()).isEqualTo(String.join("", expected));
        backend.join();
    }

    @Test
    void framesThatQueueUpWhileTheClientIsBehindLeaveInSharedChunks() throws Exception {
        int frames = 5_000;
        String padding = "y".repeat(200);
        try (RawHttpConnection client = new RawHttpConnection(server.port(), 4096)) {
            client.send(RawHttpConnection.post("/generate", STREAM_REQUEST));
            GenerationObserver observer = generations.next().observer;
            observer.onStreamStart();
            // The client reads nothing until every frame was produced: what does not fit the socket buffers queues.
            IntStream.range(0, frames).forEach(i -> observer.onFrame(frame(i + padding)));
            observer.onStreamEnd();

            assertThat(client.readHead().status()).isEqualTo(200);
            StringBuilder body = new StringBuilder();
            int chunks = 0;
            for (String chunk = client.readChunk(); !chunk.isEmpty(); chunk = client.readChunk()) {
                body.append(chunk);
                chunks++;
            }

            StringBuilder expected = new StringBuilder();
            IntStream.range(0, frames).forEach(i -> expected.append("data: ").append(i).append(padding).append("\n\n"));
            assertThat(body.toString()).isEqualTo(expected.toString());
            assertThat(chunks).as("one write, so one chunk, per frame would make %d", frames).isLessThan(frames / 2);
        }
    }

    @Test
    void aFailureAfterTheStreamStartedEndsItWithAnErrorFrameAndDone() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send(RawHttpConnection.post("/v1/chat/completions",
                    "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": true}"));
            GenerationObserver observer = generations.next().observer;

            observer.onStreamStart();
            observer.onFrame(frame("{\"choices\": []}"));
            observer.onFailure(new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE,
                    "decode http://d:1 closed the stream"));

            RawHttpConnection.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(client.readBody(head)).isEqualTo("data: {\"choices\": []}\n\n"
                    + "data: {\"error\":{\"message\":\"decode http://d:1 closed the stream\","
                    + "\"type\":\"backend_unreachable\",\"side\":\"decode\"}}\n\n"
                    + "data: [DONE]\n\n");
        }
    }

    @Test
    void aClientHangingUpMidStreamCancelsTheCall() throws Exception {
        FakeGenerations.Generation generation;
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send(RawHttpConnection.post("/generate", STREAM_REQUEST));
            generation = generations.next();
            generation.observer.onStreamStart();
            generation.observer.onFrame(frame("{\"text\": \"1\"}"));
            assertThat(client.readHead().status()).isEqualTo(200);
            assertThat(client.readChunk()).isEqualTo("data: {\"text\": \"1\"}\n\n");
        }

        // The backend keeps producing until cancelled: a hang-up is noticed by reading or by the failing writes.
        await().until(() -> {
            generation.observer.onFrame(frame("{\"text\": \"more\"}"));
            return generation.isCancelled();
        });
        generation.observer.onStreamEnd();
    }

    @Test
    void aClientHangingUpBeforeAnyAnswerCancelsTheCall() throws Exception {
        FakeGenerations.Generation generation;
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send(RawHttpConnection.post("/generate", "{\"text\": \"a long generation\"}"));
            generation = generations.next();
        }

        await().until(generation::isCancelled);
        generation.observer.onResponse(200, "application/json", "{}".getBytes(UTF_8)); // too late, and harmless
    }

    @Test
    void aKeepAliveConnectionServesTheNextRequestAndNothingIsCancelled() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send(RawHttpConnection.post("/generate", STREAM_REQUEST));
            FakeGenerations.Generation streamed = generations.next();
            streamed.observer.onStreamStart();
            streamed.observer.onFrame(frame("[DONE]"));
            streamed.observer.onStreamEnd();
            RawHttpConnection.Head streamedHead = client.readHead();
            assertThat(client.readBody(streamedHead)).isEqualTo("data: [DONE]\n\n");

            client.send(RawHttpConnection.post("/generate", "{\"text\": \"second\"}"));
            FakeGenerations.Generation whole = generations.next();
            whole.observer.onResponse(200, "application/json", "{\"text\": \"2\"}".getBytes(UTF_8));
            RawHttpConnection.Head wholeHead = client.readHead();
            assertThat(client.readBody(wholeHead)).isEqualTo("{\"text\": \"2\"}");

            client.send("GET /health HTTP/1.1\r\nHost: test\r\n\r\n"); // answered only after the second exchange ended
            assertThat(client.readHead().status()).isEqualTo(200);
            assertThat(streamed.isCancelled()).isFalse();
            assertThat(whole.isCancelled()).isFalse();
        }
    }

    @Test
    void aRequestSentBeforeThePreviousAnswerIsServedAfterIt() throws Exception {
        try (RawHttpConnection client = new RawHttpConnection(server.port())) {
            client.send(RawHttpConnection.post("/generate", "{\"text\": \"first\"}"));
            FakeGenerations.Generation first = generations.next();
            client.send(RawHttpConnection.post("/generate", "{\"text\": \"second\"}"));
            // The early request must not be taken for a hang-up, nor be served before the first one ends.
            await().during(Duration.ofMillis(300)).until(() -> !first.isCancelled() && generations.noneRouted());

            first.observer.onResponse(200, "text/plain", "one".getBytes(UTF_8));
            assertThat(client.readBody(client.readHead())).isEqualTo("one");
            FakeGenerations.Generation second = generations.next();
            second.observer.onResponse(200, "text/plain", "two".getBytes(UTF_8));
            assertThat(client.readBody(client.readHead())).isEqualTo("two");
            assertThat(first.isCancelled()).isFalse();
        }
    }

    private static byte[] frame(String data) {
        return ("data: " + data + "\n\n").getBytes(UTF_8);
    }
}
