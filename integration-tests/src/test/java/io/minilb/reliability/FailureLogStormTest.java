package io.minilb.reliability;

import static io.minilb.simulator.TestHttp.object;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.reliability.support.InProcessCluster;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, "Logs stay useful under a storm: repeated failure lines are rate-limited per server and kind, with a count
 * of what was suppressed; a clean shutdown logs no stack trace."
 *
 * <p>The scale: 2,000 requests to a decode nothing listens on, each failing at once. Every failure used to log a
 * WARN line (18,000 lines, 3.1 MB in 10 s of such a storm), burying everything else and filling disks; here the
 * storm may log one line per server and kind of failure per 10 s interval, whatever its size. Circuit breakers are
 * off (see {@link InProcessCluster}), so every request reaches the refused decode and fails there. The log is
 * captured from the root logger, so a line from any part of mini-lb counts, not only the rate-limited ones.
 */
class FailureLogStormTest {
    private static final Logger LOG = LoggerFactory.getLogger(FailureLogStormTest.class);
    private static final int REQUESTS = 2_000;
    private static final int CLIENTS = 8;
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);
    /** The servers a failure line may name: the prefill and the decode. */
    private static final int SERVERS = 2;
    /** Kinds of failure a refused decode can cause, per server: generous, it causes one (unreachable). */
    private static final int FAILURE_KINDS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private InProcessCluster cluster;
    private Simulator decode;

    @BeforeEach
    void startCluster() {
        cluster = InProcessCluster.start(config -> config);
        decode = cluster.decode().orElseThrow();
    }

    @AfterEach
    void stop() {
        root.detachAppender(captured);
        clients.shutdownNow();
        cluster.close();
    }

    @Test
    void twoThousandFailuresLogAHandfulOfLinesThatCountWhatTheySuppressed() throws Exception {
        decode.updateFaults(faults -> faults.withRefuseConnections(true)); // nothing listens on its port
        startCapturing();
        long start = System.nanoTime();
        List<Integer> statuses = send(REQUESTS, generate(false));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(statuses).hasSize(REQUESTS).containsOnly(502);
        List<ILoggingEvent> warnings = capturedEvents().stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        // Each server and kind logs at the start of the storm, then once per interval that had failures.
        long intervals = elapsed.toNanos() / FAILURE_LOG_INTERVAL.toNanos() + 1;
        long bound = SERVERS * FAILURE_KINDS * intervals;
        assertThat(warnings).as("warnings of %d failures in %d ms: %s", REQUESTS, elapsed.toMillis(),
                messages(warnings)).isNotEmpty().hasSizeLessThanOrEqualTo((int) bound);
        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage)
                .allMatch(message -> message.contains(decode.url()), "names the decode that failed");
        // A later line of the same kind counts the failures it stood for since the one before.
        Map<String, List<String>> byKind = warnings.stream().map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.groupingBy(message -> message.replaceAll("; \\d+ more like it.*", "")));
        byKind.values().forEach(lines -> assertThat(lines.subList(1, lines.size()))
                .allMatch(line -> line.matches(".*; [1-9]\\d* more like it since the last such line"), "counts what it suppressed"));
        LOG.info("figure: {} requests to a refused decode in {} ms logged {} warning lines", REQUESTS,
                elapsed.toMillis(), warnings.size());
    }

    @Test
    void closingAfterServingAndFailingLogsNoErrorAndNoStackTrace() throws Exception {
        assertThat(send(50, generate(false))).containsOnly(200);
        assertThat(send(50, generate(true))).containsOnly(200);
        decode.updateFaults(faults -> faults.withErrorStatus(500));
        assertThat(send(50, generate(false))).containsOnly(500);
        decode.updateFaults(faults -> faults.withErrorStatus(null));
        startCapturing();

        // mini-lb first, with the clients' idle connections and its pooled backend connections still open
        cluster.close();

        List<ILoggingEvent> duringClose = capturedEvents();
        assertThat(duringClose).extracting(ILoggingEvent::getFormattedMessage).contains("mini-lb stopped");
        assertThat(duringClose).as(messages(duringClose))
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
                .allMatch(event -> event.getThrowableProxy() == null, "has no stack trace");
    }

    private void startCapturing() {
        captured.start();
        root.addAppender(captured);
    }

    /** A copy, taken under the appender's lock: events are appended from mini-lb's threads. */
    private List<ILoggingEvent> capturedEvents() {
        synchronized (captured) {
            return new ArrayList<>(captured.list);
        }
    }

    private static String messages(List<ILoggingEvent> events) {
        return events.stream().map(event -> event.getLevel() + " " + event.getLoggerName() + " - "
                + event.getFormattedMessage()).collect(Collectors.joining("\n", "\n", ""));
    }

    private static ObjectNode generate(boolean stream) {
        ObjectNode body = object().put("text", "storm").put("stream", stream);
        body.putObject("sampling_params").put("max_new_tokens", 2);
        return body;
    }

    /** Sends {@code count} {@code /generate} requests from {@value #CLIENTS} clients at once; returns their statuses. */
    private List<Integer> send(int count, ObjectNode body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(cluster.url("/generate")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        List<Future<HttpResponse<String>>> responses = IntStream.range(0, count)
                .mapToObj(i -> clients.submit(() -> TestHttp.send(request))).toList();
        List<Integer> statuses = new ArrayList<>();
        for (Future<HttpResponse<String>> response : responses) {
            statuses.add(response.get().statusCode());
        }
        return statuses;
    }
}
