package io.minilb.adapters.in.http;

import io.undertow.util.HeaderMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request's id: the first acceptable value among the configured headers, else a new one. An id goes into response
 * headers, server requests and log lines, so a client's value is accepted only when it is short and plain: at most
 * {@value #MAX_LENGTH} visible ASCII characters (no space, no control character that could forge a log line).
 */
final class RequestIds {

    static final int MAX_LENGTH = 128;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int RANDOM_LENGTH = 24;

    private final List<String> headers;

    RequestIds(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    String resolve(HeaderMap requestHeaders, String path) {
        for (String header : headers) {
            String value = requestHeaders.getFirst(header);
            if (value != null && acceptable(value)) {
                return value;
            }
        }
        return generate(path);
    }

    static boolean acceptable(String value) {
        return !value.isEmpty() && value.length() <= MAX_LENGTH && value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** As SGLang's router makes them: an OpenAI-style prefix for the route, then 24 random letters and digits. */
    static String generate(String path) {
        String prefix = path.endsWith("/chat/completions") ? "chatcmpl-"
                : path.endsWith("/completions") ? "cmpl-"
                : path.endsWith("/generate") ? "gnt-"
                : "req-";
        var id = new StringBuilder(prefix.length() + RANDOM_LENGTH).append(prefix);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
