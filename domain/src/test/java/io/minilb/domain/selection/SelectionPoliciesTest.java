package io.minilb.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.SeededRandom;
import io.minilb.domain.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SelectionPoliciesTest {

    private final List<DecodeWorker> decodes = List.of(
            new DecodeWorker("http://d1:1"), new DecodeWorker("http://d2:1"), new DecodeWorker("http://d3:1"));

    @Test
    void roundRobinVisitsEachWorkerInTurn() {
        var policy = new RoundRobinSelection();
        var picked = IntStream.range(0, 6).mapToObj(i -> policy.select(decodes).url()).toList();
        assertThat(picked).containsExactly(
                "http://d1:1", "http://d2:1", "http://d3:1", "http://d1:1", "http://d2:1", "http://d3:1");
    }

    @Test
    void randomIsReproducibleWithTheSameSeed() {
        var first = picks(new RandomSelection(new SeededRandom(42)), 50);
        var second = picks(new RandomSelection(new SeededRandom(42)), 50);
        assertThat(first).isEqualTo(second);
    }

    @Test
    void randomSpreadsOverAllWorkers() {
        Map<String, Long> counts = picks(new RandomSelection(new SeededRandom(7)), 3000).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(counts).hasSize(3);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(800L, 1200L));
    }

    @Test
    void pairSelectorUsesEachSidesOwnPolicy() {
        var topology = new Topology(
                List.of(PrefillWorker.of("http://p1:1", 8998), PrefillWorker.of("http://p2:1", 8998)), decodes);
        var selector = new PairSelector(new RoundRobinSelection(), new RoundRobinSelection());
        var pairs = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            var pair = selector.select(topology);
            pairs.add(pair.prefill().url() + "|" + pair.decode().url());
        }
        assertThat(pairs).containsExactly("http://p1:1|http://d1:1", "http://p2:1|http://d2:1", "http://p1:1|http://d3:1");
    }

    private List<String> picks(SelectionPolicy policy, int count) {
        return IntStream.range(0, count).mapToObj(i -> policy.select(decodes).url()).toList();
    }
}
