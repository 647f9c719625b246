package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.slf4j.LoggerFactory;

class BackendHttpClientsTest {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private StubServer server;

    @BeforeEach
    void captureLogs() {
        logged.start();
        root.addAppender(logged);
        server = StubServer.start(exchange -> exchange.respond(200, "application/json", "{}"));
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logged);
        server.close();
    }

    @RepeatedTest(10)
    void closingTheClientLogsNoError() throws Exception {
        CloseableHttpAsyncClient client = BackendHttpClients.start(BackendClientSettings.defaults());
        SimpleHttpRequest request = SimpleRequestBuilder.get(server.url() + "/health").build();
        assertThat(client.execute(request, null)).succeedsWithin(Duration.ofSeconds(5));

        BackendHttpClients.stop(client);

        assertThat(logged.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
    }
}
