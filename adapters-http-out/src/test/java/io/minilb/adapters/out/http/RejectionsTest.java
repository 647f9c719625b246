package io.minilb.adapters.out.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.adapters.out.http.RecordingObserver.Failure;
import io.minilb.adapters.out.http.RecordingObserver.Response;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Side;
import io.minilb.application.limits.MemoryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A server's 4xx for the request is the client's answer: the first leg to reject it wins. */
class RejectionsTest extends PooledClientTest {

    private static final String JSON_TYPE = "application/json";
    private static final String BAD_TEXT = "{\"error\": {\"message\": \"text must be a string\"}}";
    private static final Duration EVENTUALLY = Duration.ofSeconds(10);

    private final MemoryBudget budget = new MemoryBudget(Long.MAX_VALUE);
    private final RecordingObserver observer = new RecordingObserver();

    @Test
    void aPrefill400IsTheClientsAnswerAndTheDecodeIsCancelled() throws Exception {
        var decodeReceived = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            decodeReceived.await(2, SECONDS);
            exchange.respond(400, JSON_TYPE, BAD_TEXT);
        });
        var decode = stub(exchange -> {
            decodeReceived.countDown();
            exchange.hangUntilClosed();
        });

        generate(prefill, decode, request(false), observer);

        Response response = response(observer);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo(JSON_TYPE);
        assertThat(response.bodyText()).isEqualTo(BAD_TEXT);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(budget.heldBytes()).isZero();
    }

    /** SGLang sends a stream's head before it waits for the KV; the prefill's 400 still answers the client. */
    @Test
    void aPrefill400AnswersAStreamRequestWhoseDecodeSentItsHead() throws Exception {
        var decodeSentItsHead = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            decodeSentItsHead.await(2, SECONDS);
            exchange.respond(422, JSON_TYPE, BAD_TEXT);
        });
        var decode = stub(exchange -> {
            exchange.startEventStream();
            decodeSentItsHead.countDown();
            exchange.hangUntilClosed();
        });

        generate(prefill, decode, request(true), observer);

        assertThat(response(observer).status()).isEqualTo(422);
        assertThat(observer.events).containsExactly("response 422");
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    @Test
    void aLongRejectionIsPassedOnCutToItsFirst64KiB() throws Exception {
        String longBody = "x".repeat(4 * PrefillResponse.REJECTION_BODY_BYTES);
        var prefill = stub(exchange -> exchange.respond(400, "text/plain", longBody));
        var decode = stub(StubServer.Exchange::hangUntilClosed);

        generate(prefill, decode, request(false), observer);

        Response response = response(observer);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).isEqualTo(longBody.substring(0, PrefillResponse.REJECTION_BODY_BYTES));
    }

    @Test
    void theDecodesRejectionWinsWhenItCameFirstAndThePrefillIsCancelled() throws Exception {
        var prefillReceived = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            prefillReceived.countDown();
            // Once the client has the decode's answer: the prefill is cancelled by then, and this write fails.
            observer.outcome.copy().completeOnTimeout(null, 2, SECONDS).join();
            exchange.respond(400, JSON_TYPE, "{\"from\": \"prefill\"}");
        });
        var decode = stub(exchange -> {
            prefillReceived.await(2, SECONDS);
            exchange.respond(400, JSON_TYPE, "{\"from\": \"decode\"}");
        });

        generate(prefill, decode, request(false), observer);

        Response response = response(observer);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).isEqualTo("{\"from\": \"decode\"}");
        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
    }

    /** Whichever leg answers first, a bad body gets its 400: never a 502 for the client's own mistake. */
    @Test
    void theSameBadRequestAlwaysGetsTheSameStatus() throws Exception {
        var prefill = stub(exchange -> exchange.respond(400, JSON_TYPE, BAD_TEXT));
        var decode = stub(exchange -> exchange.respond(400, JSON_TYPE, BAD_TEXT));
        List<RecordingObserver> observers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            var each = new RecordingObserver();
            observers.add(each);
            generate(prefill, decode, request(i % 2 == 0), each);
        }

        for (RecordingObserver each : observers) {
            assertThat(response(each).status()).isEqualTo(400);
            assertThat(response(each).bodyText()).isEqualTo(BAD_TEXT);
        }
    }

    @Test
    void aPrefillServerErrorStaysABackendError() throws Exception {
        var prefill = stub(exchange -> exchange.respond(503, "text/plain", "busy at http://10.0.0.7:30000"));
        var decode = stub(StubServer.Exchange::hangUntilClosed);

        generate(prefill, decode, request(false), observer);

        assertThat(observer.outcome).succeedsWithin(EVENTUALLY).isInstanceOfSatisfying(Failure.class, failed -> {
            assertThat(failed.failure().side()).isEqualTo(Side.PREFILL);
            assertThat(failed.failure().kind()).isEqualTo(Kind.UPSTREAM_ERROR);
            assertThat(failed.failure().message()).isEqualTo("prefill: answered HTTP 503");
        });
    }

    // ---- helpers

    private void generate(StubServer prefill, StubServer decode, GenerationRequest request, RecordingObserver to) {
        TestGenerations.generate(client, prefill.url(), decode.url(), request, Duration.ofSeconds(30),
                ResponseLimits.defaults(), budget, to);
    }

    private static GenerationRequest request(boolean stream) {
        return TestGenerations.request(Endpoint.GENERATE, stream, false);
    }

    private static Response response(RecordingObserver observer) {
        assertThat(observer.outcome).succeedsWithin(EVENTUALLY).isInstanceOf(Response.class);
        return (Response) observer.outcome.join();
    }
}
