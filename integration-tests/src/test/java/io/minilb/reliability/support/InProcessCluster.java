package io.minilb.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One prefill simulator, one decode (a simulator, or a port nothing listens on) and a mini-lb in front of them, all
 * in this JVM, for reliability tests that attack mini-lb and then look at both its sides. The mini-lb's
 * configuration (limits, timeouts) is customised per test. {@link #close()} stops everything.
 */
public final class InProcessCluster implements AutoCloseable {
    /**
     * What a client must not see in an error message: an address, a URL, a Java class or package, an exception,
     * a stack frame, a method or a library's name.
     */
    private static final Pattern INTERNALS = Pattern.compile(
            "https?://|127\\.0\\.0\\.1|localhost|\\b(?:java|javax|com|org|io|sun|jdk)\\.[a-z]\\w*\\.|\\b[A-Z]\\w*(?:Exception|Error)\\b"
                    + "|\\bat [\\w.$]+\\(|\\b[A-Z]\\w*\\.[a-z]\\w*\\(|(?i:jackson|undertow|xnio|httpclient|httpcore|netty|i/o reactor)");

    /** Long enough never to fire in a test that does not set its own. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Simulator prefill;
    private final Simulator decode;
    private final String decodeUrl;
    /** What was started, the latest first. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final MiniLb lb;

    private InProcessCluster(boolean decodeRefused, UnaryOperator<MiniLbConfig> customize) {
        try {
            prefill = keep(SimulatorConfig.prefill().start());
            decode = decodeRefused ? null : keep(SimulatorConfig.decode().start());
            decodeUrl = decodeRefused ? "http://127.0.0.1:" + unusedPort() : decode.url();
            // Without circuit breakers or health checks: these attacks must reach the one server of each side every
            // time, the refused decode included.
            lb = keep(MiniLb.start(customize.apply(new MiniLbConfig("127.0.0.1", 0,
                    List.of(PrefillWorker.of(prefill.url(), prefill.bootstrapPort())),
                    List.of(new DecodeWorker(decodeUrl)), REQUEST_TIMEOUT)
                    .withResilience(WorkerResilience.defaults().withCircuitBreakerDisabled().withHealthChecksDisabled()
                    .withRetriesDisabled()))));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A healthy prefill and decode behind a mini-lb configured by {@code customize}. */
    public static InProcessCluster start(UnaryOperator<MiniLbConfig> customize) {
        return new InProcessCluster(false, customize);
    }

    /** A healthy prefill and a decode whose port refuses connections. */
    public static InProcessCluster withDecodeRefused(UnaryOperator<MiniLbConfig> customize) {
        return new InProcessCluster(true, customize);
    }

    public Simulator prefill() {
        return prefill;
    }

    /** The decode simulator; empty when the decode is a refused port. */
    public Optional<Simulator> decode() {
        return Optional.ofNullable(decode);
    }

    public MiniLb lb() {
        return lb;
    }

    /** mini-lb's URL for {@code path}, e.g. {@code url("/generate")}. */
    public URI url(String path) {
        return URI.create(lb.url() + path);
    }

    /** POSTs a JSON body to mini-lb and waits at most {@code timeout} for the whole answer. */
    public HttpResponse<String> post(String path, String json, Duration timeout) {
        return TestHttp.send(HttpRequest.newBuilder(url(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /**
     * Checks that {@code response} is mini-lb's own error of this status and type, in its one shape, with a message
     * fit for a client: no server's address and nothing of a library or a Java class. Returns the error object.
     */
    public JsonNode assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = TestHttp.json(response).path("error");
        assertThat(error.path("type").asText()).as(response.body()).isEqualTo(type);
        String message = error.path("message").asText();
        assertThat(message).as(response.body()).isNotBlank().doesNotContainPattern(INTERNALS);
        for (int port : List.of(prefill.port(), prefill.bootstrapPort(), URI.create(decodeUrl).getPort())) {
            assertThat(message).as(response.body()).doesNotContainPattern("\\b" + port + "\\b");
        }
        return error;
    }

    /** The simulators that are running. */
    public List<Simulator> simulators() {
        return Stream.of(prefill, decode).filter(sim -> sim != null).toList();
    }

    /** A loopback port nothing listens on (bound, then released). */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        started.push(resource);
        return resource;
    }

    /** mini-lb first, so that it does not see its servers go away; then the simulators, each even if one fails. */
    @Override
    public void close() {
        IllegalStateException failure = null;
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot stop " + next, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
