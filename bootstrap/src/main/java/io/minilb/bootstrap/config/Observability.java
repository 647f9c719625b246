package io.minilb.bootstrap.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What mini-lb tells about each request, and what of it the servers see.
 *
 * @param requestIdHeaders where a client's request id is looked for, in order ({@code --request-id-headers})
 * @param forwardHeaders headers forwarded to both servers besides Authorization, the request-id headers, traceparent
 *     and tracestate ({@code --forward-headers})
 * @param workerApiKey sent to the servers as {@code Authorization: Bearer KEY} in place of the client's
 *     ({@code --worker-api-key})
 * @param accessLog one line per request on the {@code io.minilb.access} logger ({@code --disable-access-log})
 * @param logJson log lines as JSON objects ({@code --log-json})
 * @param logLevel {@code debug}, {@code info}, {@code warn} or {@code error}; empty: the {@code MINILB_LOG_LEVEL}
 *     environment variable, else info ({@code --log-level})
 */
public record Observability(
        List<String> requestIdHeaders,
        List<String> forwardHeaders,
        Optional<String> workerApiKey,
        boolean accessLog,
        boolean logJson,
        Optional<String> logLevel) {

    /** SGLang's router's list. */
    public static final List<String> DEFAULT_REQUEST_ID_HEADERS =
            List.of("x-request-id", "x-correlation-id", "x-trace-id", "request-id");
    /** SGLang's router's choices for {@code --log-level}. */
    public static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error");

    public Observability {
        requestIdHeaders = List.copyOf(requestIdHeaders);
        forwardHeaders = List.copyOf(forwardHeaders);
        Objects.requireNonNull(workerApiKey, "workerApiKey");
        logLevel = logLevel.map(level -> level.toLowerCase(Locale.ROOT));
        if (requestIdHeaders.isEmpty()) {
            throw new InvalidConfigurationException("--request-id-headers needs at least one header name");
        }
        logLevel.filter(level -> !LOG_LEVELS.contains(level)).ifPresent(level -> {
            throw new InvalidConfigurationException("--log-level " + level + " is not one of debug, info, warn, error");
        });
    }

    public static Observability defaults() {
        return new Observability(DEFAULT_REQUEST_ID_HEADERS, List.of(), Optional.empty(), true, false, Optional.empty());
    }
}
