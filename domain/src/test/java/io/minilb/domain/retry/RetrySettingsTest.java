package io.minilb.domain.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.domain.RandomSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetrySettingsTest {

    /** The middle of the jitter range: top bit set, the rest clear, maps to 0.5 in [0, 1). */
    private static final RandomSource NO_SHIFT = () -> Long.MIN_VALUE;
    private static final RandomSource LOWEST = () -> 0L;
    private static final RandomSource HIGHEST = () -> -1L;

    private final RetrySettings settings =
            new RetrySettings(true, 4, Duration.ofMillis(100), Duration.ofMillis(300), 2.0, 0.2);

    @Test
    void eachWaitGrowsByTheMultiplierUntilTheCap() {
        assertThat(settings.backoffBefore(0, NO_SHIFT)).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.backoffBefore(1, NO_SHIFT)).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.backoffBefore(2, NO_SHIFT)).isEqualTo(Duration.ofMillis(300));
        assertThat(settings.backoffBefore(60, NO_SHIFT)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void theJitterStaysWithinItsFactorEitherWay() {
        assertThat(settings.backoffBefore(0, LOWEST)).isEqualTo(Duration.ofMillis(80));
        assertThat(settings.backoffBefore(0, HIGHEST)).isBetween(Duration.ofMillis(119), Duration.ofMillis(120));
        var seeded = new java.util.Random(7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(settings.backoffBefore(2, seeded::nextLong))
                    .isBetween(Duration.ofMillis(240), Duration.ofMillis(360));
        }
    }

    @Test
    void aFullJitterNeverMakesAWaitNegative() {
        var full = new RetrySettings(true, 2, Duration.ofMillis(10), Duration.ofSeconds(1), 1.5, 1.0);

        assertThat(full.backoffBefore(0, LOWEST)).isEqualTo(Duration.ZERO);
        assertThat(full.backoffBefore(0, HIGHEST)).isBetween(Duration.ofMillis(19), Duration.ofMillis(20));
    }

    @Test
    void attemptsAreCountedWithTheFirstIncluded() {
        assertThat(settings.allowsAnotherAfter(1)).isTrue();
        assertThat(settings.allowsAnotherAfter(3)).isTrue();
        assertThat(settings.allowsAnotherAfter(4)).isFalse();
        assertThat(settings.disabled().allowsAnotherAfter(1)).isFalse();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new RetrySettings(true, 0, Duration.ZERO, Duration.ZERO, 1.5, 0.2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySettings(true, 1, Duration.ZERO, Duration.ZERO, 0.5, 0.2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySettings(true, 1, Duration.ZERO, Duration.ZERO, 1.5, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDeadlineSpansAttempts() {
        var now = new AtomicLong();
        Deadline deadline = Deadline.after(now::get, Duration.ofSeconds(10));
        now.addAndGet(Duration.ofSeconds(7).toNanos());

        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(3));
        assertThat(deadline.leavesTimeAfter(Duration.ofSeconds(2))).isTrue();
        assertThat(deadline.leavesTimeAfter(Duration.ofSeconds(3))).isFalse();
    }
}
