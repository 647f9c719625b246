package io.minilb.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.domain.SeededRandom;
import io.minilb.domain.worker.WorkerLoad;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SelectionPoliciesTest {

    private final List<Candidate> decodes =
            List.of(new Candidate("http://d1:1"), new Candidate("http://d2:1"), new Candidate("http://d3:1"));

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

    private List<String> picks(SelectionPolicy policy, int count) {
        return IntStream.range(0, count).mapToObj(i -> policy.select(decodes).url()).toList();
    }

    /** Policies see only this view of a worker. */
    private record Candidate(String url) implements WorkerLoad {

        @Override
        public String id() {
            return url;
        }

        @Override
        public int inFlight() {
            return 0;
        }
    }
}
