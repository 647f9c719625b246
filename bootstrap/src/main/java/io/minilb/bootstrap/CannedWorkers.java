package io.minilb.bootstrap;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A prefill and a decode on loopback that answer every generation at once with a canned SGLang or OpenAI answer,
 * whole or as an event stream, and {@code GET /health} with 200: the servers {@link WarmUp} routes to. A port for
 * each, since mini-lb takes a server as prefill or as decode, never both, and one for the prefill's bootstrap server,
 * which mini-lb health-checks too.
 */
final class CannedWorkers implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** Far more than a warm-up request; anything else that reaches these ports is not read whole. */
    static final long MAX_REQUEST_BYTES = 64 * 1024;
    private static final String GENERATE = "{\"text\":\" warm\",\"meta_info\":{\"id\":\"0\",\"finish_reason\":"
            + "{\"type\":\"length\",\"length\":1},\"prompt_tokens\":2,\"completion_tokens\":1,\"cached_tokens\":0}}";
    private static final String GENERATE_FRAME = "data: {\"text\":\" warm\",\"meta_info\":{\"id\":\"0\","
            + "\"finish_reason\":null,\"prompt_tokens\":2,\"completion_tokens\":1}}\n\n";
    private static final String CHAT = "{\"id\":\"0\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\" warm\"},"
            + "\"finish_reason\":\"length\"}],"
            + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}";
    private static final String CHAT_FRAME = "data: {\"id\":\"0\",\"object\":\"chat.completion.chunk\",\"created\":0,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" warm\"},"
            + "\"finish_reason\":null}]}\n\n";
    private static final String COMPLETION = "{\"id\":\"0\",\"object\":\"text_completion\",\"created\":0,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" warm\",\"finish_reason\":\"length\"}],"
            + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}";
    private static final String COMPLETION_FRAME = "data: {\"id\":\"0\",\"object\":\"text_completion\",\"created\":0,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" warm\",\"finish_reason\":null}]}\n\n";
    /** Frames per streamed answer, so that the frame path gets as hot as the rest. */
    private static final int FRAMES = 8;

    private final Undertow server;

    private CannedWorkers(Undertow server) {
        this.server = server;
    }

    static CannedWorkers start() {
        Undertow server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_REQUEST_BYTES)
                .addHttpListener(0, HOST)
                .addHttpListener(0, HOST)
                .addHttpListener(0, HOST)
                .setHandler(CannedWorkers::answer)
                .build();
        server.start();
        return new CannedWorkers(server);
    }

    String prefillUrl() {
        return url(0);
    }

    String decodeUrl() {
        return url(1);
    }

    int bootstrapPort() {
        return port(2);
    }

    private String url(int listener) {
        return "http://" + HOST + ":" + port(listener);
    }

    private int port(int listener) {
        return ((InetSocketAddress) server.getListenerInfo().get(listener).getAddress()).getPort();
    }

    private static void answer(HttpServerExchange exchange) {
        if (!"POST".equals(exchange.getRequestMethod().toString())) {
            exchange.getResponseSender().send("");
            return;
        }
        exchange.getRequestReceiver().receiveFullString((done, body) -> {
            boolean stream = body.contains("\"stream\":true");
            String path = done.getRequestPath();
            String whole = path.endsWith("/chat/completions") ? CHAT
                    : path.endsWith("/completions") ? COMPLETION : GENERATE;
            String frame = path.endsWith("/chat/completions") ? CHAT_FRAME
                    : path.endsWith("/completions") ? COMPLETION_FRAME : GENERATE_FRAME;
            done.getResponseHeaders().put(Headers.CONTENT_TYPE, stream ? "text/event-stream" : "application/json");
            done.getResponseSender().send(stream ? frame.repeat(FRAMES) + "data: [DONE]\n\n" : whole,
                    StandardCharsets.UTF_8);
        }, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop();
    }
}
