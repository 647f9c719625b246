package io.minilb.bootstrap.config;

import io.minilb.adapters.in.http.HttpServerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How long mini-lb waits, for each kind of wait.
 *
 * @param request bound on a whole generation, streams included
 * @param admin bound on each admin call to a server (health, flush, info)
 * @param shutdownGrace how long a stop waits for in-flight generations
 * @param requestRead how long a client may take to send its whole request, head and body
 */
public record Timeouts(Duration request, Duration admin, Duration shutdownGrace, Duration requestRead) {

    public static final Duration DEFAULT_REQUEST = Duration.ofSeconds(1800);
    public static final Duration DEFAULT_ADMIN = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_READ = HttpServerSettings.DEFAULT_REQUEST_READ_TIMEOUT;

    public Timeouts {
        requirePositive(request, "--request-timeout-secs");
        requirePositive(admin, "--admin-timeout-secs");
        requirePositive(requestRead, "--request-read-timeout-secs");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new InvalidConfigurationException("--shutdown-grace-secs must not be negative");
        }
    }

    public static Timeouts withRequestTimeout(Duration request) {
        return new Timeouts(request, DEFAULT_ADMIN, DEFAULT_SHUTDOWN_GRACE, DEFAULT_REQUEST_READ);
    }

    public Timeouts withRequestRead(Duration read) {
        return new Timeouts(request, admin, shutdownGrace, read);
    }

    private static void requirePositive(Duration duration, String flag) {
        Objects.requireNonNull(duration, flag);
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidConfigurationException(flag + " must be positive, got " + duration.toSeconds());
        }
    }
}
