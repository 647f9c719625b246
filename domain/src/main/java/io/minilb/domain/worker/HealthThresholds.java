package io.minilb.domain.worker;

/**
 * How many health checks in a row change a worker's health (SGLang router's {@code --health-failure-threshold} and
 * {@code --health-success-threshold}).
 *
 * @param failureThreshold failed checks in a row that make a healthy worker unhealthy
 * @param successThreshold passed checks in a row that make an unhealthy worker healthy
 */
public record HealthThresholds(int failureThreshold, int successThreshold) {

    public HealthThresholds {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("health failure threshold must be at least 1, got " + failureThreshold);
        }
        if (successThreshold < 1) {
            throw new IllegalArgumentException("health success threshold must be at least 1, got " + successThreshold);
        }
    }
}
