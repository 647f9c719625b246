package io.minilb.domain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerHealthTest {

    private static final HealthThresholds THRESHOLDS = new HealthThresholds(3, 2);

    @Test
    void aHealthyWorkerTurnsUnhealthyAfterTheFailureThresholdInARow() {
        var health = new WorkerHealth(THRESHOLDS, true);

        assertThat(health.recordCheck(false)).isFalse();
        assertThat(health.recordCheck(false)).isFalse();
        assertThat(health.isHealthy()).isTrue();

        assertThat(health.recordCheck(false)).isTrue();
        assertThat(health.isHealthy()).isFalse();
    }

    @Test
    void aPassedCheckResetsTheFailureStreak() {
        var health = new WorkerHealth(THRESHOLDS, true);
        health.recordCheck(false);
        health.recordCheck(false);
        health.recordCheck(true);
        health.recordCheck(false);
        health.recordCheck(false);

        assertThat(health.isHealthy()).isTrue();
    }

    @Test
    void anUnhealthyWorkerTurnsHealthyAfterTheSuccessThresholdInARow() {
        var health = new WorkerHealth(THRESHOLDS, false);

        assertThat(health.recordCheck(true)).isFalse();
        assertThat(health.isHealthy()).isFalse();
        assertThat(health.recordCheck(true)).isTrue();
        assertThat(health.isHealthy()).isTrue();
    }

    @Test
    void aFailedCheckResetsTheSuccessStreak() {
        var health = new WorkerHealth(THRESHOLDS, false);
        health.recordCheck(true);
        health.recordCheck(false);
        health.recordCheck(true);

        assertThat(health.isHealthy()).isFalse();
        assertThat(health.recordCheck(true)).isTrue();
    }

    @Test
    void afterAChangeTheStreakStartsAgain() {
        var health = new WorkerHealth(THRESHOLDS, false);
        health.recordCheck(true);
        health.recordCheck(true);

        health.recordCheck(false);
        health.recordCheck(false);
        assertThat(health.isHealthy()).isTrue();
        health.recordCheck(false);
        assertThat(health.isHealthy()).isFalse();
    }

    @Test
    void theFirstActiveCheckDecidesAtOnceThenTheThresholdsApply() {
        var configured = new WorkerHealth(THRESHOLDS, true);
        var added = new WorkerHealth(THRESHOLDS, false);

        assertThat(configured.recordActiveCheck(false)).isTrue();
        assertThat(configured.isHealthy()).isFalse();
        assertThat(added.recordActiveCheck(true)).isTrue();
        assertThat(added.isHealthy()).isTrue();

        assertThat(configured.recordActiveCheck(true)).isFalse();
        assertThat(configured.recordActiveCheck(true)).isTrue();
        assertThat(added.recordActiveCheck(false)).isFalse();
        assertThat(added.recordActiveCheck(false)).isFalse();
        assertThat(added.recordActiveCheck(false)).isTrue();
    }

    @Test
    void aFirstActiveCheckThatConfirmsTheGuessChangesNothing() {
        var configured = new WorkerHealth(THRESHOLDS, true);

        assertThat(configured.recordActiveCheck(true)).isFalse();
        assertThat(configured.isHealthy()).isTrue();
    }

    @Test
    void thresholdsAreAtLeastOne() {
        assertThatThrownBy(() -> new HealthThresholds(0, 1)).hasMessageContaining("failure threshold");
        assertThatThrownBy(() -> new HealthThresholds(1, 0)).hasMessageContaining("success threshold");
    }
}
