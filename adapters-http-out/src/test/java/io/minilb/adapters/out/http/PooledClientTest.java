package io.minilb.adapters.out.http;

import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The production pooled client for a test class, and stub servers closed after each test. */
abstract class PooledClientTest {

    static CloseableHttpAsyncClient client;

    private final List<StubServer> stubs = new ArrayList<>();

    @BeforeAll
    static void startClient() {
        client = BackendHttpClients.start(BackendClientSettings.defaults());
    }

    @AfterAll
    static void closeClient() {
        BackendHttpClients.stop(client);
    }

    @AfterEach
    void stopStubs() {
        stubs.forEach(StubServer::close);
    }

    StubServer stub(StubServer.Script script) {
        var stub = StubServer.start(script);
        stubs.add(stub);
        return stub;
    }
}
