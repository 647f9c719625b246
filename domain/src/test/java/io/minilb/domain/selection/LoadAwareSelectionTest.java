package io.minilb.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.domain.SeededRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadAwareSelectionTest {

    @Test
    void leastLoadPicksTheFewestInFlightAndSpreadsTies() {
        var policy = new LeastLoadSelection(new SeededRandom(1));
        var busy = Load.of("a", 5);
        var idle = Load.of("b", 1);
        assertThat(policy.select(List.of(busy, idle, Load.of("c", 3)))).isSameAs(idle);

        var tied = List.of(Load.of("x", 0), Load.of("y", 0), Load.of("z", 0));
        Map<String, Integer> counts = new HashMap<>();
        IntStream.range(0, 300).forEach(i -> counts.merge(policy.select(tied).id(), 1, Integer::sum));
        assertThat(counts).containsOnlyKeys("x", "y", "z");
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(70, 130));
    }

    @Test
    void powerOfTwoNeverPicksTheBusiestOfThreeAndComparesTwoDistinctWorkers() {
        var policy = new PowerOfTwoSelection(new SeededRandom(3));
        var candidates = List.of(Load.of("a", 9), Load.of("b", 1), Load.of("c", 4));
        Map<String, Integer> counts = new HashMap<>();
        IntStream.range(0, 600).forEach(i -> counts.merge(policy.select(candidates).id(), 1, Integer::sum));
        // b wins both pairs it is drawn in (2 of 3 pairs), c the pair {a, c}; a never wins.
        assertThat(counts).doesNotContainKey("a");
        assertThat(counts.get("b")).isBetween(340, 460);
        assertThat(counts.get("c")).isBetween(140, 260);
    }

    @Test
    void powerOfTwoWithOneCandidatePicksIt() {
        var only = Load.of("a", 3);
        assertThat(new PowerOfTwoSelection(new SeededRandom(3)).select(List.of(only))).isSameAs(only);
    }
}
