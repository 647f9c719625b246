package io.minilb.application.health;

import java.util.Objects;

/**
 * One health check's result.
 *
 * @param problem what failed, for the log line; empty when the check passed
 */
public record ProbeResult(boolean passed, String problem) {

    private static final ProbeResult PASSED = new ProbeResult(true, "");

    public ProbeResult {
        Objects.requireNonNull(problem, "problem");
        if (passed != problem.isEmpty()) {
            throw new IllegalArgumentException("a passed check has no problem, a failed one names it");
        }
    }

    public static ProbeResult ok() {
        return PASSED;
    }

    public static ProbeResult failed(String problem) {
        return new ProbeResult(false, problem);
    }

    /** Passed only when both passed; the problems of both otherwise. */
    public ProbeResult and(ProbeResult other) {
        if (passed) {
            return other;
        }
        return other.passed ? this : failed(problem + "; " + other.problem);
    }
}
