package io.minilb.bootstrap.config;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything mini-lb needs to start. Build it in code to embed mini-lb, or let the CLI build it
 * from flags and a YAML file.
 *
 * @param port 0 picks a free port (see {@code MiniLb.port()})
 * @param prefillPolicy a selection policy name: {@code random} or {@code round_robin}
 * @param adminTimeout bound on each admin call to a server (health, flush, info)
 * @param shutdownGrace how long a stop waits for in-flight generations
 */
public record MiniLbConfig(
        String host,
        int port,
        List<PrefillWorker> prefills,
        List<DecodeWorker> decodes,
        Duration requestTimeout,
        String prefillPolicy,
        String decodePolicy,
        long maxPayloadBytes,
        Duration adminTimeout,
        Duration shutdownGrace) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(1800);
    public static final String DEFAULT_POLICY = "random";
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 256L * 1024 * 1024;
    public static final Duration DEFAULT_ADMIN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public MiniLbConfig {
        Objects.requireNonNull(host, "host");
        prefills = List.copyOf(prefills);
        decodes = List.copyOf(decodes);
        Objects.requireNonNull(prefillPolicy, "prefillPolicy");
        Objects.requireNonNull(decodePolicy, "decodePolicy");
        if (host.isBlank()) {
            throw new InvalidConfigurationException("--host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidConfigurationException("--port " + port + " is outside 0-65535");
        }
        requirePositive(requestTimeout, "--request-timeout-secs");
        requirePositive(adminTimeout, "--admin-timeout-secs");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new InvalidConfigurationException("--shutdown-grace-secs must not be negative");
        }
        if (maxPayloadBytes < 1) {
            throw new InvalidConfigurationException("--max-payload-bytes must be at least 1, got " + maxPayloadBytes);
        }
        if (prefills.isEmpty()) {
            throw new InvalidConfigurationException(
                    "no prefill server configured: give at least one --prefill URL [BOOTSTRAP_PORT|none]");
        }
        if (decodes.isEmpty()) {
            throw new InvalidConfigurationException("no decode server configured: give at least one --decode URL");
        }
    }

    /** The seed's {@code MiniLbConfig::new(host, port, prefills, decodes, timeout)}, with defaults for the rest. */
    public MiniLbConfig(
            String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes, Duration requestTimeout) {
        this(host, port, prefills, decodes, requestTimeout, DEFAULT_POLICY, DEFAULT_POLICY,
                DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_ADMIN_TIMEOUT, DEFAULT_SHUTDOWN_GRACE);
    }

    /** The same policy for both sides. */
    public MiniLbConfig withPolicy(String policy) {
        return withPolicies(policy, policy);
    }

    public MiniLbConfig withPolicies(String prefill, String decode) {
        return new MiniLbConfig(host, port, prefills, decodes, requestTimeout, prefill, decode,
                maxPayloadBytes, adminTimeout, shutdownGrace);
    }

    public MiniLbConfig withMaxPayloadBytes(long bytes) {
        return new MiniLbConfig(host, port, prefills, decodes, requestTimeout, prefillPolicy, decodePolicy,
                bytes, adminTimeout, shutdownGrace);
    }

    public Topology topology() {
        return new Topology(prefills, decodes);
    }

    private static void requirePositive(Duration duration, String flag) {
        Objects.requireNonNull(duration, flag);
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidConfigurationException(flag + " must be positive, got " + duration.toSeconds());
        }
    }
}
