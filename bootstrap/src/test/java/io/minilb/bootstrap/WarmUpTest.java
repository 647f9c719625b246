package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A warming mini-lb serves but is not ready; its private instance leaves no trace in the real one's access log. */
class WarmUpTest {

    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration EVENTUALLY = Duration.ofSeconds(60);

    private final HttpClient client = HttpClient.newHttpClient();
    private final Logger accessLog = (Logger) LoggerFactory.getLogger("io.minilb.access");
    private final Logger warmUpLog = (Logger) LoggerFactory.getLogger(WarmUp.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.start();
        accessLog.addAppender(captured);
        warmUpLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        accessLog.detachAppender(captured);
        warmUpLog.detachAppender(captured);
    }

    @Test
    void readinessWaitsForTheWarmUpWhileHealthAndGenerationsAreServed() throws Exception {
        try (CannedWorkers workers = CannedWorkers.start();
                MiniLb lb = MiniLb.start(config(workers), reason -> { }, WARM_UP)) {
            HttpResponse<String> warming = get(lb, "/readiness");
            assertThat(warming.statusCode()).isEqualTo(503);
            assertThat(warming.body()).contains("mini-lb is warming up");
            assertThat(get(lb, "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> served = send(HttpRequest.newBuilder(URI.create(lb.url() + "/generate"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}")).build());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).contains("\"text\":\" warm\"");

            await().atMost(EVENTUALLY).until(() -> get(lb, "/readiness").statusCode() == 200);

            assertThat(messages()).anySatisfy(line -> assertThat(line)
                    .matches("warmed up in \\d+ ms: [1-9]\\d* generations through a private instance"));
            assertThat(messages()).filteredOn(line -> line.contains("route=/generate")).hasSize(1);
            assertThat(messages()).noneMatch(line -> line.contains("/v1/"));
        }
    }

    @Test
    void stoppingWhileWarmingUpEndsTheWarmUp() throws Exception {
        try (CannedWorkers workers = CannedWorkers.start()) {
            MiniLb lb = MiniLb.start(config(workers), reason -> { }, Duration.ofMinutes(5));
            await().atMost(EVENTUALLY).until(() -> threadNamed("mini-lb-warm-up"));

            lb.close();

            assertThat(threadNamed("mini-lb-warm-up")).isFalse();
            assertThat(messages()).anySatisfy(line -> assertThat(line).startsWith("warmed up in"));
        }
    }

    private static MiniLbConfig config(CannedWorkers workers) {
        return new MiniLbConfig("127.0.0.1", 0, List.of(PrefillWorker.of(workers.prefillUrl(), workers.bootstrapPort())),
                List.of(new DecodeWorker(workers.decodeUrl())), Duration.ofSeconds(30));
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals(name));
    }

    private List<String> messages() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private HttpResponse<String> get(MiniLb lb, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(lb.url() + path)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
