package io.minilb.domain.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.domain.SeededRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CacheAwareSelectionTest {

    private static final String SYSTEM_A = "You are a lawyer. Read the following contract carefully and answer. ";
    private static final String SYSTEM_B = "You are a chef. Here is the menu of the restaurant, answer about it. ";

    private final AtomicLong now = new AtomicLong();
    private final Load x = new Load("x");
    private final Load y = new Load("y");

    @Test
    void aPromptFollowsTheWorkerThatGotItsPrefixAndANewPrefixGoesToTheLeastLoaded() {
        var policy = policy(64, 1000);
        Load home = policy.select(List.of(x, y), text(SYSTEM_A + "Q1"));
        home.setInFlight(3);
        Load other = home == x ? y : x;

        assertThat(policy.select(List.of(x, y), text(SYSTEM_A + "Q2"))).as("cache hit despite more load").isSameAs(home);
        assertThat(policy.select(List.of(x, y), text(SYSTEM_B + "Q1"))).as("miss: least loaded").isSameAs(other);
        assertThat(policy.select(List.of(x, y), text(SYSTEM_B + "Q2"))).isSameAs(other);
    }

    @Test
    void aMatchBelowTheCacheThresholdGoesToTheLeastLoaded() {
        var policy = policy(64, 1000);
        Load home = policy.select(List.of(x, y), text(SYSTEM_A));
        home.setInFlight(1);
        // Shares only "You are a " (10 of 60+ chars), below the 0.3 threshold.
        String mostlyNew = "You are a " + "x".repeat(60);
        assertThat(policy.select(List.of(x, y), text(mostlyNew))).isNotSameAs(home);
    }

    @Test
    void anImbalancedPoolSendsEvenAHitToTheLeastLoaded() {
        var policy = policy(2, 1000);
        Load home = policy.select(List.of(x, y), text(SYSTEM_A + "Q1"));
        Load other = home == x ? y : x;
        home.setInFlight(3);
        other.setInFlight(1);
        assertThat(policy.select(List.of(x, y), text(SYSTEM_A + "Q2"))).as("3-1 within abs 2").isSameAs(home);
        home.setInFlight(4);
        assertThat(policy.select(List.of(x, y), text(SYSTEM_A + "Q3"))).as("4-1 beyond abs 2 and 1.5x").isSameAs(other);
    }

    @Test
    void tokenPromptsMatchLikeTextOnes() {
        var policy = policy(64, 1000);
        int[] shared = java.util.stream.IntStream.range(0, 100).toArray();
        Load home = policy.select(List.of(x, y), RoutingContext.ofTokens(Optional.empty(), shared));
        home.setInFlight(2);
        int[] longer = java.util.Arrays.copyOf(shared, 110);
        assertThat(policy.select(List.of(x, y), RoutingContext.ofTokens(Optional.empty(), longer))).isSameAs(home);
    }

    @Test
    void textAndTokenIdsOfTheSameValuesShareNoPrefix() {
        var policy = policy(64, 1000);
        Load home = policy.select(List.of(x, y), text(SYSTEM_A));
        home.setInFlight(2);
        int[] sameValues = SYSTEM_A.chars().toArray();
        assertThat(policy.select(List.of(x, y), RoutingContext.ofTokens(Optional.empty(), sameValues)))
                .isNotSameAs(home);
    }

    @Test
    void aPromptEndingInsideAnotherSplitsItsEdgeAndBothKeepTheirWorker() {
        var policy = policy(64, 1000);
        Load home = policy.select(List.of(x, y), text(SYSTEM_A + "Q1 with a long tail"));
        home.setInFlight(3);
        long held = policy.treeSize(home.id());

        assertThat(policy.select(List.of(x, y), text(SYSTEM_A))).as("a prefix of what it holds").isSameAs(home);
        assertThat(policy.treeSize(home.id())).as("the split adds no element").isEqualTo(held);
        assertThat(policy.select(List.of(x, y), text(SYSTEM_A + "Q1 with a long tail"))).isSameAs(home);
        assertThat(policy.select(List.of(x, y), text(SYSTEM_A + "Another question"))).isSameAs(home);
        assertThat(policy.treeSize(home.id())).isEqualTo(held + "Another question".length());
    }

    @Test
    void aRemovedWorkerIsIgnoredThenForgottenAndANewOneGetsTraffic() {
        var policy = policy(64, 1000);
        Load gone = policy.select(List.of(x, y), text(SYSTEM_A + "Q1"));
        Load stays = gone == x ? y : x;
        stays.setInFlight(1);
        Load added = new Load("z");

        assertThat(policy.select(List.of(stays, added), text(SYSTEM_A + "Q2")))
                .as("the prefix's worker left: least loaded of those there").isSameAs(added);
        policy.evict();
        policy.select(List.of(stays, added), text(SYSTEM_B));
        assertThat(policy.treeSize(gone.id())).isPositive();
        policy.evict();
        assertThat(policy.treeSize(gone.id())).as("not a candidate for a whole round").isZero();
        assertThat(policy.treeSize(added.id())).isPositive();
    }

    @Test
    void anIdleRoundForgetsNobody() {
        var policy = policy(64, 1000);
        Load home = policy.select(List.of(x, y), text(SYSTEM_A));
        policy.evict();
        policy.evict();
        assertThat(policy.treeSize(home.id())).isPositive();
    }

    @Test
    void eachWorkersPrefixesStayUnderTwiceTheMaximumAndEvictionTrimsTheOldestFirst() {
        int max = 2_000;
        var policy = policy(64, max);
        // 100x the maximum of distinct prompts: without the bound the tree would hold 200,000 chars.
        for (int i = 0; i < 2_000; i++) {
            policy.select(List.of(x), text(i + " distinct prompt number " + i + " padded to a hundred chars ".repeat(2)));
            assertThat(policy.treeSize("x")).isLessThan(2L * max);
        }
        policy.evict();
        assertThat(policy.treeSize("x")).isBetween(1L, (long) max);

        x.setInFlight(5);
        y.setInFlight(0);
        String newest = 1999 + " distinct prompt number " + 1999;
        String oldest = 0 + " distinct prompt number " + 0 + " padded";
        assertThat(policy.select(List.of(x, y), text(newest))).as("recent prefix kept").isSameAs(x);
        assertThat(policy.select(List.of(x, y), text(oldest))).as("oldest prefix evicted").isSameAs(y);
    }

    @Test
    void concurrentDecisionsKeepTheTreeBounded() throws Exception {
        int max = 5_000;
        var policy = policy(64, max);
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        policy.select(List.of(x, y), text(SYSTEM_A + thread + "/" + i + " question"));
                        if (i % 500 == 0) {
                            policy.evict();
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(policy.treeSize("x")).isLessThan(2L * max);
        assertThat(policy.treeSize("y")).isLessThan(2L * max);
    }

    private CacheAwareSelection policy(int balanceAbs, int maxTreeSize) {
        return new CacheAwareSelection(new CacheAwareSettings(0.3, balanceAbs, 1.5, maxTreeSize), new SeededRandom(9),
                now::incrementAndGet);
    }

    private static RoutingContext text(String prompt) {
        return RoutingContext.ofText(Optional.empty(), prompt);
    }
}
