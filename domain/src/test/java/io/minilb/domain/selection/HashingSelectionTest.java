package io.minilb.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.SeededRandom;
import io.minilb.domain.worker.LiveWorker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HashingSelectionTest {

    private static final int KEYS = 2000;

    private final List<Load> four = List.of(worker(1), worker(2), worker(3), worker(4));

    @Test
    void theSameKeyGoesToTheSameWorkerAndKeysSpreadOverAll() {
        var policy = new ConsistentHashSelection(new SeededRandom(1));
        Map<String, Integer> perWorker = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            String first = policy.select(four, keyed("session-" + k)).id();
            assertThat(policy.select(four, keyed("session-" + k)).id()).isEqualTo(first);
            perWorker.merge(first, 1, Integer::sum);
        }
        assertThat(perWorker.values()).allSatisfy(count -> assertThat(count).isBetween(KEYS / 4 * 6 / 10, KEYS / 4 * 14 / 10));
    }

    @Test
    void aWorkerLeavingMovesOnlyItsOwnKeys() {
        var policy = new ConsistentHashSelection(new SeededRandom(1));
        Map<String, String> before = assignment(policy, four);
        Map<String, String> after = assignment(policy, List.of(four.get(0), four.get(1), four.get(3)));

        before.forEach((key, worker) -> {
            if (!worker.equals(four.get(2).id())) {
                assertThat(after.get(key)).as(key).isEqualTo(worker);
            }
        });
    }

    @Test
    void aWorkerJoiningTakesAboutItsShareAndNoOtherKeyMoves() {
        var policy = new ConsistentHashSelection(new SeededRandom(1));
        Map<String, String> before = assignment(policy, four);
        var five = new ArrayList<>(four);
        Load joining = worker(5);
        five.add(joining);
        Map<String, String> after = assignment(policy, five);

        long moved = before.keySet().stream().filter(key -> !before.get(key).equals(after.get(key))).count();
        before.forEach((key, worker) -> assertThat(after.get(key)).isIn(worker, joining.id()));
        // 1/5 of the keys is 400; a plain modulo would move about 4/5 of them.
        assertThat(moved).isBetween(250L, 550L);
    }

    @Test
    void withoutAKeyTheChoiceIsRandomOverAllWorkers() {
        var policy = new ConsistentHashSelection(new SeededRandom(5));
        Map<String, Integer> counts = new HashMap<>();
        IntStream.range(0, 400).forEach(i -> counts.merge(policy.select(four).id(), 1, Integer::sum));
        assertThat(counts).hasSize(4);
    }

    @Test
    void prefixHashSendsPromptsSharingTheirFirstTokensToOneWorker() {
        var policy = new PrefixHashSelection(4, new SeededRandom(1));
        String system = "You are a careful assistant. ";
        Load home = policy.select(four, text(system + "What is 2+2?"));
        for (int q = 0; q < 20; q++) {
            assertThat(policy.select(four, text(system + "Question " + q))).isSameAs(home);
        }
        assertThat(policy.select(four, RoutingContext.ofTokens(Optional.empty(), new int[] {1, 2, 3, 4, 5})))
                .isSameAs(policy.select(four, RoutingContext.ofTokens(Optional.empty(), new int[] {1, 2, 3, 4, 9})));
    }

    @Test
    void prefixHashLeavesAnOverloadedHomeForTheLeastLoaded() {
        var policy = new PrefixHashSelection(4, new SeededRandom(1));
        var prompt = text("The same long system prompt, then a question");
        Load home = policy.select(four, prompt);
        home.setInFlight(10);
        Load idle = four.stream().filter(w -> w != home).findFirst().orElseThrow();
        four.stream().filter(w -> w != home && w != idle).forEach(w -> w.setInFlight(2));

        assertThat(policy.select(four, prompt)).isSameAs(idle);
    }

    @Test
    void theLoadFactorSetsHowLoadedAHomeMayBe() {
        var prompt = text("The same long system prompt, then a question");
        Load home = new PrefixHashSelection(4, new SeededRandom(1)).select(four, prompt);
        home.setInFlight(10);
        four.stream().filter(w -> w != home).forEach(w -> w.setInFlight(2));
        // 16 in flight + this one over 4 workers: 4.25 on average; 10 is beyond 1.25 times it, within 3 times.
        assertThat(new PrefixHashSelection(4, 1.25, new SeededRandom(1)).select(four, prompt)).isNotSameAs(home);
        assertThat(new PrefixHashSelection(4, 3, new SeededRandom(1)).select(four, prompt)).isSameAs(home);
        assertThatThrownBy(() -> new PrefixHashSelection(4, 0.9, new SeededRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, String> assignment(SelectionPolicy policy, List<Load> workers) {
        Map<String, String> assignment = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            assignment.put("k" + k, policy.select(workers, keyed("k" + k)).id());
        }
        return assignment;
    }

    /** Ids as the registry gives them (UUIDs of the URL), since the ring places workers by id. */
    private static Load worker(int n) {
        return new Load(LiveWorker.idOf(new DecodeWorker("http://w" + n + ":1")));
    }

    private static RoutingContext keyed(String key) {
        return RoutingContext.ofText(Optional.of(key), "");
    }

    private static RoutingContext text(String prompt) {
        return RoutingContext.ofText(Optional.empty(), prompt);
    }
}
