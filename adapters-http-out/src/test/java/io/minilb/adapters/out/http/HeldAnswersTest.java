package io.minilb.adapters.out.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.adapters.out.http.RecordingObserver.Failure;
import io.minilb.adapters.out.http.RecordingObserver.Response;
import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationFailure.Kind;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.Side;
import io.minilb.application.limits.MemoryBudget;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What mini-lb holds of an answer is bounded by --max-response-bytes and reserved in the memory budget. */
class HeldAnswersTest extends PooledClientTest {

    private static final int LIMIT = 256 * 1024;
    private static final String JSON_TYPE = "application/json";
    private static final Duration NO_TIMEOUT_EXPECTED = Duration.ofSeconds(30);
    private static final Duration EVENTUALLY = Duration.ofSeconds(10);
    /** Many times the limit: a server that got to write it all would show the rest was read. */
    private static final int HUGE = 32 * LIMIT;

    private final MemoryBudget budget = new MemoryBudget(Long.MAX_VALUE);
    private final RecordingObserver observer = new RecordingObserver();

    @Test
    void aDecodeAnswerLargerThanTheLimitFailsAndBothLegsAreCancelledWithoutReadingTheRest() throws Exception {
        var prefillReceived = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            prefillReceived.countDown();
            exchange.hangUntilClosed();
        });
        var decode = stub(exchange -> {
            prefillReceived.await(2, SECONDS);
            exchange.respond(200, JSON_TYPE, answerOf(HUGE));
        });

        generate(prefill, decode, request(false, false), NO_TIMEOUT_EXPECTED);

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.DECODE);
        assertThat(failure.kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
        assertThat(failure.kind().httpStatus()).isEqualTo(502);
        assertThat(failure.message())
                .isEqualTo("decode: answer larger than the 262144-byte limit on held answers (max-response-bytes)");
        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void aPrefillAnswerKeptForItsLogprobsIsBoundedToo() throws Exception {
        var decodeReceived = new CountDownLatch(1);
        var prefill = stub(exchange -> {
            decodeReceived.await(2, SECONDS);
            exchange.respond(200, JSON_TYPE, answerOf(HUGE));
        });
        var decode = stub(exchange -> {
            decodeReceived.countDown();
            exchange.hangUntilClosed();
        });

        generate(prefill, decode, request(false, true), NO_TIMEOUT_EXPECTED);

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.PREFILL);
        assertThat(failure.kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
        assertThat(prefill.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void aStreamedFrameLargerThanTheLimitFails() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, "text/event-stream", "data: [DONE]\n\n"));
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send("data: " + answerOf(HUGE) + "\n\n");
        });

        generate(prefill, decode, request(true, false), NO_TIMEOUT_EXPECTED);

        assertThat(failure().kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void aMergeThatWouldBeLargerThanTheLimitFails() throws Exception {
        String logprobs = "{\"meta_info\": {\"input_token_logprobs\": [" + "[-1.5,1,null],".repeat(LIMIT / 28) + "[0,1,null]]}}";
        var prefill = stub(exchange -> exchange.respond(200, JSON_TYPE, logprobs));
        var decode = stub(exchange -> exchange.respond(200, JSON_TYPE, logprobs));

        generate(prefill, decode, request(false, true), NO_TIMEOUT_EXPECTED);

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.DECODE);
        assertThat(failure.kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void anAnswerTheMemoryBudgetCannotHoldIsRefusedAsOverloaded() throws Exception {
        var smallBudget = new MemoryBudget(LIMIT / 2);
        var prefill = stub(exchange -> exchange.respond(200, JSON_TYPE, "{}"));
        var decode = stub(exchange -> exchange.respond(200, JSON_TYPE, answerOf(LIMIT - 100)));

        TestGenerations.generate(client, prefill.url(), decode.url(), request(false, false), NO_TIMEOUT_EXPECTED,
                new ResponseLimits(LIMIT), smallBudget, observer);

        GenerationFailure failure = failure();
        assertThat(failure.side()).isEqualTo(Side.DECODE);
        assertThat(failure.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(failure.kind().httpStatus()).isEqualTo(503);
        assertThat(failure.message()).isEqualTo("decode: no memory left for its answer in mini-lb's budget");
        assertThat(smallBudget.heldBytes()).isZero();
    }

    // ---- the budget is given back however the generation ends

    @Test
    void theBudgetIsHeldWhileTheAnswersAreKeptAndGivenBackWhenTheMergedAnswerIsSent() throws Exception {
        String logprobs = "{\"meta_info\": {\"input_token_logprobs\": [[-1.5,1,null]]}, \"text\": \""
                + "x".repeat(50_000) + "\"}";
        var prefill = stub(exchange -> {
            // The decode's answer is held, waiting for these logprobs.
            await().atMost(EVENTUALLY).until(() -> budget.heldBytes() >= 50_000);
            exchange.respond(200, JSON_TYPE, logprobs);
        });
        var decode = stub(exchange -> exchange.respond(200, JSON_TYPE, logprobs));

        generate(prefill, decode, request(false, true), NO_TIMEOUT_EXPECTED);

        assertThat(observer.outcome).succeedsWithin(EVENTUALLY).isInstanceOf(Response.class);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void theBudgetIsGivenBackWhenTheClientCancelsMidBody() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(exchange -> {
            exchange.send(answerOf(100_000));
            exchange.hangUntilClosed();
        });

        GenerationCall call = generate(prefill, decode, request(false, false), NO_TIMEOUT_EXPECTED);
        await().atMost(EVENTUALLY).until(() -> budget.heldBytes() >= 100_000);
        call.cancel();

        assertThat(budget.heldBytes()).isZero();
        assertThat(decode.nextRequest().connectionClosed()).succeedsWithin(EVENTUALLY);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void theBudgetIsGivenBackWhenTheRequestTimesOutMidBody() throws Exception {
        var prefill = stub(exchange -> exchange.respond(200, JSON_TYPE, "{}"));
        var decode = stub(exchange -> {
            exchange.send(answerOf(100_000));
            exchange.hangUntilClosed();
        });

        generate(prefill, decode, request(false, false), Duration.ofMillis(1500));
        await().atMost(EVENTUALLY).until(() -> budget.heldBytes() >= 100_000 || observer.outcome.isDone());

        assertThat(failure().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(budget.heldBytes()).isZero();
    }

    @Test
    void theBudgetIsGivenBackWhenStreamedFramesWaitingForLogprobsAreCancelled() throws Exception {
        var prefill = stub(StubServer.Exchange::hangUntilClosed);
        var decode = stub(exchange -> {
            exchange.startEventStream();
            exchange.send("data: " + answerOf(100_000) + "\n\n");
            exchange.hangUntilClosed();
        });

        GenerationCall call = generate(prefill, decode, request(true, true), NO_TIMEOUT_EXPECTED);
        await().atMost(EVENTUALLY).until(() -> budget.heldBytes() >= 100_000);
        call.cancel();

        assertThat(budget.heldBytes()).isZero();
        assertThat(observer.events).isEmpty();
    }

    // ---- helpers

    private GenerationCall generate(StubServer prefill, StubServer decode, GenerationRequest request, Duration timeout) {
        return TestGenerations.generate(client, prefill.url(), decode.url(), request, timeout, new ResponseLimits(LIMIT),
                budget, observer);
    }

    private static GenerationRequest request(boolean stream, boolean returnLogprob) {
        return TestGenerations.request(Endpoint.GENERATE, stream, returnLogprob);
    }

    /** A JSON answer of about {@code bytes} bytes. */
    private static String answerOf(int bytes) {
        return "{\"text\": \"" + "x".repeat(bytes) + "\"}";
    }

    private GenerationFailure failure() {
        assertThat(observer.outcome).succeedsWithin(EVENTUALLY).isInstanceOf(Failure.class);
        return ((Failure) observer.outcome.join()).failure();
    }
}
