package io.minilb.domain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final CircuitBreakerSettings SETTINGS =
            new CircuitBreakerSettings(true, 3, 2, Duration.ofSeconds(10), Duration.ofSeconds(30));

    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(SETTINGS, now::get);

    @Test
    void opensOnTheThresholdthFailureWithinTheWindow() {
        assertThat(breaker.recordFailure()).isFalse();
        assertThat(breaker.recordFailure()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);

        assertThat(breaker.recordFailure()).isTrue();

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.allowsRequests(0)).isFalse();
    }

    @Test
    void aSuccessWhileClosedClearsTheFailures() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();
        breaker.recordFailure();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.recordFailure()).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        breaker.recordFailure();
        advance(Duration.ofSeconds(20));
        breaker.recordFailure();
        advance(Duration.ofSeconds(11));

        assertThat(breaker.recordFailure()).as("the first failure is 31 s old").isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.recordFailure()).as("the last three span 11 s").isTrue();
    }

    @Test
    void failuresExactlyAWindowApartStillCount() {
        breaker.recordFailure();
        advance(Duration.ofSeconds(30));
        breaker.recordFailure();

        assertThat(breaker.recordFailure()).isTrue();
    }

    @Test
    void turnsHalfOpenOnceTheTimeoutHasPassed() {
        open();
        advance(Duration.ofSeconds(10).minusNanos(1));
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

        advance(Duration.ofNanos(1));

        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void halfOpenAdmitsAsManyTrialsInFlightAsTheSuccessThreshold() {
        assertThat(breaker.allowsRequests(1_000)).as("closed admits all").isTrue();
        open();
        advance(Duration.ofSeconds(10));

        assertThat(breaker.allowsRequests(0)).isTrue();
        assertThat(breaker.allowsRequests(1)).isTrue();
        assertThat(breaker.allowsRequests(2)).isFalse();
    }

    @Test
    void halfOpenClosesAfterTheSuccessThreshold() {
        open();
        advance(Duration.ofSeconds(10));

        assertThat(breaker.recordSuccess()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breaker.recordSuccess()).isTrue();

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).as("the failures before opening are forgotten").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aFailureWhileHalfOpenReopensForAnotherTimeout() {
        open();
        advance(Duration.ofSeconds(10));
        breaker.recordSuccess();

        assertThat(breaker.recordFailure()).isTrue();

        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        advance(Duration.ofSeconds(9));
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        advance(Duration.ofSeconds(1));
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        breaker.recordSuccess();
        assertThat(breaker.state()).as("the success before reopening is forgotten").isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void outcomesOfRequestsAdmittedBeforeItOpenedAreIgnoredWhileOpen() {
        open();

        assertThat(breaker.recordSuccess()).isFalse();
        assertThat(breaker.recordFailure()).isFalse();
        advance(Duration.ofSeconds(5));
        breaker.recordFailure();
        advance(Duration.ofSeconds(5));

        assertThat(breaker.state()).as("the timeout runs from the opening").isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void aDisabledBreakerStaysClosed() {
        var disabled = new CircuitBreaker(SETTINGS.disabled(), now::get);

        for (int i = 0; i < 100; i++) {
            assertThat(disabled.recordFailure()).isFalse();
        }

        assertThat(disabled.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(disabled.allowsRequests(1_000)).isTrue();
    }

    @Test
    void aThresholdOfOneOpensOnTheFirstFailure() {
        var eager = new CircuitBreaker(
                new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)), now::get);

        assertThat(eager.recordFailure()).isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(eager.recordSuccess()).isTrue();
    }

    @Test
    void settingsAreValidated() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new CircuitBreakerSettings(true, 0, 1, second, second))
                .hasMessageContaining("failure threshold");
        assertThatThrownBy(() -> new CircuitBreakerSettings(true, 1, 0, second, second))
                .hasMessageContaining("success threshold");
        assertThatThrownBy(() -> new CircuitBreakerSettings(true, 1, 1, Duration.ZERO, second))
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> new CircuitBreakerSettings(true, 1, 1, second, Duration.ofSeconds(-1)))
                .hasMessageContaining("window");
    }

    private void open() {
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }
}
