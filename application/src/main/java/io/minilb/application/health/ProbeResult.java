package io.minilb.application.health;

import java.util.Objects;

/**
 * One health check's result.
 *
 * @param outcome passed, failed, or got no answer within the check timeout
 * @param problem what failed, for the log line; empty when the check passed
 */
public record ProbeResult(Outcome outcome, String problem) {

    /** Ordered from best to worst: a check of two servers is as bad as the worse of the two. */
    public enum Outcome {
        PASSED,
        /** The server answered, or refused the connection: it is there and says it cannot serve. */
        FAILED,
        /** The server took the connection and said nothing within the timeout: it may hold every request so. */
        UNANSWERED
    }

    private static final ProbeResult PASSED = new ProbeResult(Outcome.PASSED, "");

    public ProbeResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(problem, "problem");
        if ((outcome == Outcome.PASSED) != problem.isEmpty()) {
            throw new IllegalArgumentException("a passed check has no problem, a failed one names it");
        }
    }

    public static ProbeResult ok() {
        return PASSED;
    }

    public static ProbeResult failed(String problem) {
        return new ProbeResult(Outcome.FAILED, problem);
    }

    public static ProbeResult unanswered(String problem) {
        return new ProbeResult(Outcome.UNANSWERED, problem);
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    /** Passed only when both passed; otherwise the worse outcome, with the problems of both. */
    public ProbeResult and(ProbeResult other) {
        if (passed()) {
            return other;
        }
        if (other.passed()) {
            return this;
        }
        Outcome worse = outcome.compareTo(other.outcome) >= 0 ? outcome : other.outcome;
        return new ProbeResult(worse, problem + "; " + other.problem);
    }
}
