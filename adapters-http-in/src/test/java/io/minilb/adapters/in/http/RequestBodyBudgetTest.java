package io.minilb.adapters.in.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.Side;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.ClusterAdminUseCase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request bodies are held within the global memory budget, and give their share back however the request ends. */
@Timeout(60)
class RequestBodyBudgetTest {

    private static final int BODIES = 10;
    private static final int BODY_BYTES = 1_000;
    private static final long HELD_PER_BODY = (long) BodyReservation.HEAP_BYTES_PER_BODY_BYTE * BODY_BYTES;

    private final FakeGenerations generations = new FakeGenerations();
    private final MemoryBudget budget = new MemoryBudget(BODIES * HELD_PER_BODY);
    private final RunningServer server = new RunningServer(generations, mock(ClusterAdminUseCase.class),
            RunningServer.settings(HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT,
                    HttpServerSettings.DEFAULT_MAX_CONNECTIONS, HttpServerSettings.DEFAULT_STREAM_BUFFER_BYTES),
            budget);
    private final List<RawHttpConnection> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RawHttpConnection client : clients) {
            client.close();
        }
        server.close();
    }

    @Test
    void aBodyBeyondTheBudgetGets503WithoutBeingReadAndTheBudgetServesAgainOnceFreed() throws Exception {
        String body = textBody(BODY_BYTES);
        String head = headFor(body);
        for (int i = 0; i < BODIES; i++) {
            RawHttpConnection client = connect();
            clients.add(client);
            client.send(head + body.substring(0, 10)); // slow bodies, each reserved whole
        }
        await().until(() -> budget.heldBytes() == BODIES * HELD_PER_BODY);

        for (int i = 0; i < 3; i++) {
            try (RawHttpConnection refused = connect()) {
                refused.send(head); // its body is never read: the answer comes first
                RawHttpConnection.Head answer = refused.readHead();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(refused.readBody(answer)).isEqualTo("{\"error\":{\"message\":\"mini-lb holds as many "
                        + "request bodies as its memory budget allows; retry later\",\"type\":\"overloaded\"}}");
                assertThat(refused.closedOrResetByServer()).isTrue();
            }
        }
        assertThat(generations.noneRouted()).isTrue();
        assertThat(budget.heldBytes()).isEqualTo(BODIES * HELD_PER_BODY);

        for (RawHttpConnection client : clients) {
            client.send(body.substring(10));
            generations.next().observer.onResponse(200, "text/plain", "ok".getBytes(UTF_8));
            assertThat(client.readBody(client.readHead())).isEqualTo("ok");
        }
        await().until(() -> budget.heldBytes() == 0);
        try (RawHttpConnection again = connect()) {
            again.send(headFor(body) + body);
            generations.next().observer.onResponse(200, "text/plain", "ok".getBytes(UTF_8));
            assertThat(again.readHead().status()).isEqualTo(200);
        }
    }

    @Test
    void theBudgetIsGivenBackWhenAGenerationFailsOrItsClientLeaves() throws Exception {
        String body = textBody(BODY_BYTES);

        try (RawHttpConnection failed = connect()) {
            failed.send(headFor(body) + body);
            generations.next().observer.onFailure(
                    new GenerationFailure(Side.DECODE, GenerationFailure.Kind.UNREACHABLE, "decode unreachable"));
            assertThat(failed.readHead().status()).isEqualTo(502);
        }
        await().until(() -> budget.heldBytes() == 0);

        try (RawHttpConnection leaving = connect()) {
            leaving.send(headFor(body) + body);
            generations.next(); // routed, never answered: the client hangs up
        }
        await().until(() -> budget.heldBytes() == 0);

        try (RawHttpConnection leavingMidBody = connect()) {
            leavingMidBody.send(headFor(body) + body.substring(0, 100));
            await().until(() -> budget.heldBytes() == HELD_PER_BODY);
        }
        await().until(() -> budget.heldBytes() == 0);

        String notJson = "x".repeat(BODY_BYTES);
        assertThat(server.post("/generate", notJson).statusCode()).isEqualTo(400);
        await().until(() -> budget.heldBytes() == 0);
    }

    /**
     * A whole answer stays in memory until its client has taken it, so it is held in the budget that long too, beyond
     * what its request's body held: one that does not fit is refused rather than kept for a slow client.
     */
    @Test
    void aWholeAnswerBeyondWhatItsBodyHeldMustFitTheBudget() throws Exception {
        String body = textBody(BODY_BYTES);
        int othersHold = BODIES - 3;
        for (int i = 0; i < othersHold; i++) {
            assertThat(budget.tryReserve(HELD_PER_BODY)).isTrue(); // other requests hold most of the budget
        }
        byte[] fits = "b".repeat((int) (2 * HELD_PER_BODY)).getBytes(UTF_8); // the body's share and one more
        byte[] tooLarge = "c".repeat((int) (4 * HELD_PER_BODY)).getBytes(UTF_8); // the body's share and three more
        try (RawHttpConnection client = connect()) {
            client.send(headFor(body) + body);
            generations.next().observer.onResponse(200, "text/plain", fits);
            assertThat(client.readBody(client.readHead())).isEqualTo(new String(fits, UTF_8));
        }
        try (RawHttpConnection client = connect()) {
            client.send(headFor(body) + body);
            generations.next().observer.onResponse(200, "text/plain", tooLarge);
            RawHttpConnection.Head head = client.readHead();
            assertThat(head.status()).isEqualTo(503);
            assertThat(client.readBody(head)).contains("\"type\":\"overloaded\"");
        }
        await().until(() -> budget.heldBytes() == othersHold * HELD_PER_BODY);
    }

    @Test
    void aChunkedBodyHoldsWhatItSentAndIsRefusedWhenItOutgrowsTheBudget() throws Exception {
        for (int i = 0; i < BODIES - 2; i++) {
            assertThat(budget.tryReserve(HELD_PER_BODY)).isTrue(); // other requests hold most of the budget
        }
        try (RawHttpConnection client = connect()) {
            client.send("POST /generate HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
            client.send(RawHttpConnection.chunk("{\"text\": \"" + "a".repeat(BODY_BYTES - 10)));
            await().until(() -> budget.heldBytes() == (BODIES - 1) * HELD_PER_BODY);

            client.send(RawHttpConnection.chunk("a".repeat(BODY_BYTES + 10)));
            RawHttpConnection.Head answer = client.readHead();
            assertThat(answer.status()).isEqualTo(503);
            assertThat(client.readBody(answer)).contains("\"type\":\"overloaded\"");
            assertThat(client.closedOrResetByServer()).isTrue();
        }
        await().until(() -> budget.heldBytes() == (BODIES - 2) * HELD_PER_BODY);
        assertThat(generations.noneRouted()).isTrue();
    }

    private RawHttpConnection connect() throws IOException {
        return new RawHttpConnection(server.port());
    }

    private static String textBody(int bytes) {
        String prefix = "{\"text\": \"";
        return prefix + "a".repeat(bytes - prefix.length() - 2) + "\"}";
    }

    private static String headFor(String body) {
        return "POST /generate HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.getBytes(UTF_8).length + "\r\n\r\n";
    }
}
