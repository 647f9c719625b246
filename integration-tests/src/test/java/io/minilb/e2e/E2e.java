package io.minilb.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** HTTP, JSON and SSE helpers for the end-to-end tests. */
final class E2e {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private E2e() {
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
    }

    static HttpResponse<String> post(String url, String body) {
        return send(postRequest(url, body));
    }

    static HttpResponse<String> post(String url, JsonNode body) {
        return post(url, body.toString());
    }

    static CompletableFuture<HttpResponse<String>> postAsync(String url, JsonNode body) {
        return CLIENT.sendAsync(postRequest(url, body.toString()), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest postRequest(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** A {@code /generate} body for one text prompt. */
    static ObjectNode generate(String text, int maxNewTokens) {
        ObjectNode body = object().put("text", text);
        body.putObject("sampling_params").put("max_new_tokens", maxNewTokens).put("temperature", 0);
        return body;
    }

    /** The payloads of an SSE body's {@code data:} frames, {@code [DONE]} included, in order. */
    static List<String> sseData(String body) {
        List<String> payloads = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            if (!frame.startsWith("data: ")) {
                throw new AssertionError("not an SSE data frame: " + frame);
            }
            payloads.add(frame.substring("data: ".length()));
        }
        return payloads;
    }

    /** The JSON frames of an SSE body, {@code [DONE]} excluded. */
    static List<JsonNode> sseJson(String body) {
        return sseData(body).stream().filter(data -> !data.equals("[DONE]")).map(E2e::json).toList();
    }

    /** A loopback port nothing listens on (bound then released). */
    static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a raw HTTP/1.1 connection and sends a JSON POST on it, for tests that hang up mid-stream. */
    static Socket rawPost(int port, String path, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads from the socket until {@code marker} has arrived; returns what was read. */
    static String readUntil(Socket socket, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (read.indexOf(marker) < 0) {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                throw new AssertionError("connection closed before '" + marker + "'; got: " + read);
            }
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return read.toString();
    }
}
