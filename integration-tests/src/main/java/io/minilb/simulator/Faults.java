package io.minilb.simulator;

/**
 * Misbehaviour a simulator injects, settable at start ({@link SimulatorConfig}, CLI flags) and at runtime
 * ({@link Simulator#setFaults}, {@code POST /_sim/faults}). "Generation requests" are {@code /generate},
 * {@code /v1/chat/completions} and {@code /v1/completions}; a fault is read when such a request arrives.
 *
 * @param errorStatus       when non-null, generation requests are answered at once with this HTTP status and an
 *                          SGLang-style JSON error body (no rendezvous happens)
 * @param hang              generation requests are accepted and never answered (the client may give up; that is
 *                          counted as a cancellation)
 * @param slowMsPerToken    extra latency per token: per prompt token on a prefill, per output token on a decode
 * @param dropAfterFrames   when non-null, a streamed response's connection is closed abruptly after this many
 *                          {@code data:} frames; a non-streamed response's connection is closed instead of answering
 * @param healthFailing     {@code /health} and {@code /health_generate} answer 503
 * @param refuseConnections the HTTP port stops listening, so connects are refused; clearing this fault listens
 *                          again on the same port. Reach the admin API through the prefill's bootstrap port, the
 *                          {@code --admin-port}, or the Java API meanwhile.
 */
public record Faults(
        Integer errorStatus,
        boolean hang,
        double slowMsPerToken,
        Integer dropAfterFrames,
        boolean healthFailing,
        boolean refuseConnections) {

    public static final Faults NONE = new Faults(null, false, 0, null, false, false);

    public Faults {
        if (errorStatus != null && (errorStatus < 100 || errorStatus > 599)) {
            throw new IllegalArgumentException("error status must be an HTTP status, got " + errorStatus);
        }
        if (slowMsPerToken < 0) {
            throw new IllegalArgumentException("slow ms per token must be >= 0, got " + slowMsPerToken);
        }
        if (dropAfterFrames != null && dropAfterFrames < 0) {
            throw new IllegalArgumentException("drop after frames must be >= 0, got " + dropAfterFrames);
        }
    }

    public Faults withErrorStatus(Integer status) {
        return new Faults(status, hang, slowMsPerToken, dropAfterFrames, healthFailing, refuseConnections);
    }

    public Faults withHang(boolean on) {
        return new Faults(errorStatus, on, slowMsPerToken, dropAfterFrames, healthFailing, refuseConnections);
    }

    public Faults withSlowMsPerToken(double ms) {
        return new Faults(errorStatus, hang, ms, dropAfterFrames, healthFailing, refuseConnections);
    }

    public Faults withDropAfterFrames(Integer frames) {
        return new Faults(errorStatus, hang, slowMsPerToken, frames, healthFailing, refuseConnections);
    }

    public Faults withHealthFailing(boolean on) {
        return new Faults(errorStatus, hang, slowMsPerToken, dropAfterFrames, on, refuseConnections);
    }

    public Faults withRefuseConnections(boolean on) {
        return new Faults(errorStatus, hang, slowMsPerToken, dropAfterFrames, healthFailing, on);
    }
}
