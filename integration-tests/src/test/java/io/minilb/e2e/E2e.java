package io.minilb.e2e;

import static io.minilb.simulator.TestHttp.CLIENT;
import static io.minilb.simulator.TestHttp.JSON;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.object;
import static io.minilb.simulator.TestHttp.send;
import static io.minilb.simulator.TestHttp.sseData;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The end-to-end tests' own HTTP helpers; the shared ones are in {@link io.minilb.simulator.TestHttp}. */
final class E2e {
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

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** A {@code /generate} body for one text prompt. */
    static ObjectNode generate(String text, int maxNewTokens) {
        ObjectNode body = object().put("text", text);
        body.putObject("sampling_params").put("max_new_tokens", maxNewTokens).put("temperature", 0);
        return body;
    }

    /** The JSON frames of an SSE body, {@code [DONE]} excluded. */
    static List<JsonNode> sseJson(String body) {
        return sseData(body).stream().filter(data -> !data.equals("[DONE]")).map(data -> json(data)).toList();
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
