package io.minilb.simulator.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {

    @Test
    void offByDefaultNothingIsCached() {
        var cache = new PrefixCache(0);
        cache.computeAndCache(tokens(0, 100));
        assertThat(cache.computeAndCache(tokens(0, 100))).isZero();
    }

    @Test
    void aRepeatedPromptIsCachedInWholePagesAndASharedPrefixUpToWhereItParts() {
        var cache = new PrefixCache(10_000);
        assertThat(cache.computeAndCache(tokens(0, 100))).isZero();
        assertThat(cache.computeAndCache(tokens(0, 100))).isEqualTo(96);

        List<Integer> sameStartOtherEnd = new ArrayList<>(tokens(0, 70));
        sameStartOtherEnd.addAll(tokens(5_000, 40));
        assertThat(cache.computeAndCache(sameStartOtherEnd)).as("64 = 4 whole pages of the 70 shared").isEqualTo(64);
        assertThat(cache.computeAndCache(tokens(1, 100))).as("shifted by one: nothing shared").isZero();
    }

    @Test
    void theCacheHoldsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
        var cache = new PrefixCache(160);
        List<Integer> first = tokens(0, 64);
        cache.computeAndCache(first);
        // Twenty times the capacity of other prompts.
        for (int p = 1; p <= 50; p++) {
            cache.computeAndCache(tokens(p * 1_000, 64));
            assertThat(cache.cachedTokens()).isLessThanOrEqualTo(160);
        }
        assertThat(cache.computeAndCache(first)).isZero();
        assertThat(cache.computeAndCache(tokens(50_000, 64))).as("the latest stays").isEqualTo(64);
    }

    @Test
    void aPromptsFirstPagesOutliveItsLastOnes() {
        var cache = new PrefixCache(64);
        cache.computeAndCache(tokens(0, 64));
        cache.computeAndCache(tokens(9_000, 32));
        assertThat(cache.computeAndCache(tokens(0, 64))).as("its first 2 pages remain").isEqualTo(32);
    }

    @Test
    void aDecodeBatchStretchesTheLatencyBeyondItsSize() {
        var batch = new DecodeBatch(4);
        IntStream.range(0, 4).forEach(i -> batch.join());
        assertThat(batch.msPerToken(10)).isEqualTo(10);
        IntStream.range(0, 4).forEach(i -> batch.join());
        assertThat(batch.msPerToken(10)).isEqualTo(20);
        IntStream.range(0, 8).forEach(i -> batch.leave());
        assertThat(batch.running()).isZero();
        var off = new DecodeBatch(0);
        IntStream.range(0, 100).forEach(i -> off.join());
        assertThat(off.msPerToken(10)).isEqualTo(10);
    }

    private static List<Integer> tokens(int from, int count) {
        return IntStream.range(from, from + count).boxed().toList();
    }
}
