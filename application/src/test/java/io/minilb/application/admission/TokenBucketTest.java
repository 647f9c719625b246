package io.minilb.application.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final ManualTime time = new ManualTime();

    @Test
    void startsFullThenRefillsAtItsRateUpToItsCapacity() {
        var bucket = new TokenBucket(4, 4, time);
        for (int i = 0; i < 4; i++) {
            assertThat(bucket.tryTake()).isTrue();
        }
        assertThat(bucket.tryTake()).isFalse();
        assertThat(bucket.nanosUntilToken()).isEqualTo(Duration.ofMillis(250).toNanos());

        time.advance(Duration.ofMinutes(10));

        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }
        assertThat(taken).as("an idle bucket holds no more than its capacity").isEqualTo(4);
    }

    @Test
    void aPartialTokenIsKeptForTheNextRefill() {
        var bucket = new TokenBucket(1, 1, time);
        bucket.tryTake();

        time.advance(Duration.ofMillis(600));
        assertThat(bucket.tryTake()).isFalse();
        assertThat(bucket.nanosUntilToken()).isEqualTo(Duration.ofMillis(400).toNanos());
        time.advance(Duration.ofMillis(400));

        assertThat(bucket.tryTake()).isTrue();
    }
}
