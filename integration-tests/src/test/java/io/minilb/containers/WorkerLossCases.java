package io.minilb.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A server container killed while mini-lb uses it. Each test breaks its topology, so each gets a fresh one:
 * 2 prefill and 2 decode servers, round robin, so two concurrent requests land on different servers and later
 * requests alternate between the dead server and the survivor.
 */
@Testcontainers(disabledWithoutDocker = true)
abstract class WorkerLossCases {

    /** How long a request may take once its server is gone: far below mini-lb's request timeout. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(15);
    private static final int LATER_REQUESTS = 6;
    /** With simulators: extra latency per token, so that a generation is still running when a server dies. */
    private static final int SLOW_MS_PER_TOKEN = 25;

    private PdTopology topology;
    private MiniLbClient miniLb;

    @RegisterExtension
    final TopologyLogsOnFailure logsOnFailure = new TopologyLogsOnFailure(() -> topology);

    abstract ServerFleet fleet();

    @BeforeEach
    void startTopology() {
        topology = PdTopology.start(fleet(), 2, 2);
        miniLb = topology.client();
    }

    @AfterEach
    void stopTopology() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    @Test
    void aDecodeKilledMidStreamEndsOnlyItsStreamWithAnErrorNamingTheDecode() {
        slowDown(topology.decodes());
        ObjectNode longGeneration = longGeneration().put("stream", true);
        EventStream first = miniLb.stream("/generate", longGeneration);
        EventStream second = miniLb.stream("/generate", longGeneration);
        first.awaitFrames(2, Duration.ofMinutes(2));
        second.awaitFrames(2, Duration.ofMinutes(2));

        PdServer dead = topology.decodes().get(1);
        Instant killedAt = Instant.now();
        dead.kill();

        List<StreamOutcome> outcomes = List.of(first.awaitEnd(longGenerationBound()), second.awaitEnd(longGenerationBound()));
        assertThat(outcomes).as("streams after decode-2 died").satisfiesExactlyInAnyOrder(
                failed -> {
                    assertThat(GenerationErrors.failedSide(failed)).as("%s", failed).contains(dead.side());
                    assertThat(failed.endedWithDone()).as("the failed stream still ends with [DONE]").isTrue();
                    assertThat(Duration.between(killedAt, failed.endedAt())).as("time to fail").isLessThan(FAIL_FAST);
                },
                survived -> {
                    assertThat(GenerationErrors.failedSide(survived)).as("%s", survived).isEmpty();
                    assertThat(survived.endedWithDone()).isTrue();
                    assertThat(survived.lastJsonFrame().path("meta_info").path("completion_tokens").asInt())
                            .isEqualTo(longGenerationTokens());
                });
        assertLaterRequestsReachTheSurvivorOrFailFast(dead);
        assertNoLegLeftInFlight(topology.prefills());
    }

    @Test
    void aPrefillKilledMidRequestFailsItNamingThePrefillWithoutWaitingForTheDecode() {
        slowDown(topology.prefills());
        ObjectNode longPrompt = TextEndpoint.GENERATE.request(topology.fleet().model(), longPrompt(), 4);
        CompletableFuture<Reply> first = miniLb.postAsync("/generate", longPrompt);
        CompletableFuture<Reply> second = miniLb.postAsync("/generate", longPrompt);
        awaitOneRequestInFlightOnEach(topology.prefills());

        PdServer dead = topology.prefills().get(1);
        dead.kill();

        List<Reply> replies = List.of(first.join(), second.join());
        if (topology.simulated()) {
            assertThat(replies).as("requests in flight when prefill-2 died").satisfiesExactlyInAnyOrder(
                    failed -> assertFailedFast(failed, dead),
                    served -> assertThat(served.status()).as("%s", served).isEqualTo(200));
        } else {
            // A real prefill may finish before the kill lands: then both are served.
            assertThat(replies).allSatisfy(reply -> assertServedOrFailedFast(reply, dead));
        }
        assertLaterRequestsReachTheSurvivorOrFailFast(dead);
        assertNoLegLeftInFlight(topology.decodes());
    }

    /** Round robin keeps sending every other request to the dead server: those must fail fast, the rest succeed. */
    private void assertLaterRequestsReachTheSurvivorOrFailFast(PdServer dead) {
        List<Reply> replies = IntStream.range(0, LATER_REQUESTS)
                .mapToObj(i -> miniLb.post("/generate",
                        TextEndpoint.GENERATE.request(topology.fleet().model(), "later request " + i, 4)))
                .toList();

        assertThat(replies).allSatisfy(reply -> assertServedOrFailedFast(reply, dead));
        assertThat(replies).filteredOn(reply -> reply.status() == 200).as("served by the survivors")
                .hasSizeGreaterThanOrEqualTo(LATER_REQUESTS / 2);
    }

    private static void assertServedOrFailedFast(Reply reply, PdServer dead) {
        if (reply.status() != 200) {
            assertFailedFast(reply, dead);
        }
    }

    private static void assertFailedFast(Reply reply, PdServer dead) {
        assertThat(reply.status()).as("%s", reply).isBetween(500, 599);
        assertThat(GenerationErrors.blames(reply, dead)).as("%s names %s or its side", reply, dead).isTrue();
        assertThat(reply.took()).as("time to fail").isLessThan(FAIL_FAST);
    }

    /** mini-lb cancelled every leg whose partner died, so no server keeps KV for it (simulators only). */
    private void assertNoLegLeftInFlight(List<PdServer> servers) {
        if (topology.simulated()) {
            Awaitility.await("no request left in flight on " + servers).atMost(FAIL_FAST)
                    .until(() -> servers.stream().mapToInt(server -> server.admin().inFlightRequests()).sum() == 0);
        }
    }

    private void slowDown(List<PdServer> servers) {
        if (topology.simulated()) {
            servers.forEach(server -> server.admin().updateFaults(Json.object().put("slow_ms_per_token", SLOW_MS_PER_TOKEN)));
        }
    }

    private void awaitOneRequestInFlightOnEach(List<PdServer> servers) {
        if (topology.simulated()) {
            Awaitility.await("a request in flight on each of " + servers).atMost(FAIL_FAST)
                    .until(() -> servers.stream().allMatch(server -> server.admin().inFlightRequests() == 1));
        }
    }

    private ObjectNode longGeneration() {
        ObjectNode body = TextEndpoint.GENERATE.request(topology.fleet().model(), "Tell a long story", longGenerationTokens());
        ((ObjectNode) body.get("sampling_params")).put("ignore_eos", true);
        return body;
    }

    /** Simulators: 10 s at the injected latency; real SGLang: long enough to still run when the kill lands. */
    private int longGenerationTokens() {
        return topology.simulated() ? 400 : 2048;
    }

    private Duration longGenerationBound() {
        return topology.simulated() ? Duration.ofMinutes(1) : Duration.ofMinutes(5);
    }

    /** 200 words: 5 s of prefill at the simulators' injected latency. */
    private static String longPrompt() {
        return IntStream.range(0, 200).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
    }
}
