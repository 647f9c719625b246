package io.minilb.bootstrap.config;

import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.time.Duration;
import io.minilb.domain.Worker;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything mini-lb needs to start. Build it in code to embed mini-lb, or let the CLI build it
 * from flags and a YAML file.
 *
 * @param port 0 picks a free port (see {@code MiniLb.port()})
 * @param prefillPolicy a selection policy name: {@code random} or {@code round_robin}
 * @param resilience when a worker counts as failing (circuit breaker, health thresholds)
 * @param discovery Kubernetes service discovery; with it, a side may have no static worker if discovery selects it
 */
public record MiniLbConfig(
        String host,
        int port,
        List<PrefillWorker> prefills,
        List<DecodeWorker> decodes,
        String prefillPolicy,
        String decodePolicy,
        Timeouts timeouts,
        Limits limits,
        WorkerResilience resilience,
        Discovery discovery) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_POLICY = "random";

    public MiniLbConfig {
        Objects.requireNonNull(host, "host");
        prefills = List.copyOf(prefills);
        decodes = List.copyOf(decodes);
        Objects.requireNonNull(prefillPolicy, "prefillPolicy");
        Objects.requireNonNull(decodePolicy, "decodePolicy");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(resilience, "resilience");
        Objects.requireNonNull(discovery, "discovery");
        if (host.isBlank()) {
            throw new InvalidConfigurationException("--host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidConfigurationException("--port " + port + " is outside 0-65535");
        }
        if (prefills.isEmpty() && !discovery.discoversPrefills()) {
            throw new InvalidConfigurationException(
                    "no prefill server configured: give at least one --prefill URL [BOOTSTRAP_PORT|none], "
                            + "or --service-discovery with --prefill-selector");
        }
        if (decodes.isEmpty() && !discovery.discoversDecodes()) {
            throw new InvalidConfigurationException("no decode server configured: give at least one --decode URL, "
                    + "or --service-discovery with --decode-selector");
        }
        requireEachServerOnce(prefills, decodes);
    }

    /** A worker is known by its URL (its id, its health, its circuit): the same URL twice would be two of each. */
    private static void requireEachServerOnce(List<PrefillWorker> prefills, List<DecodeWorker> decodes) {
        Set<String> seen = new HashSet<>();
        Stream.concat(prefills.stream(), decodes.stream()).map(Worker::url).filter(url -> !seen.add(url)).findFirst()
                .ifPresent(url -> {
                    throw new InvalidConfigurationException("server " + url + " is given more than once: "
                            + "give each server once, as either --prefill or --decode");
                });
    }

    /** Without service discovery. */
    public MiniLbConfig(String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes,
            String prefillPolicy, String decodePolicy, Timeouts timeouts, Limits limits, WorkerResilience resilience) {
        this(host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, resilience,
                Discovery.disabled());
    }

    /** The seed's {@code MiniLbConfig::new(host, port, prefills, decodes, timeout)}, with defaults for the rest. */
    public MiniLbConfig(
            String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes, Duration requestTimeout) {
        this(host, port, prefills, decodes, DEFAULT_POLICY, DEFAULT_POLICY,
                Timeouts.withRequestTimeout(requestTimeout), Limits.defaults(), WorkerResilience.defaults());
    }

    /** The same policy for both sides. */
    public MiniLbConfig withPolicy(String policy) {
        return withPolicies(policy, policy);
    }

    public MiniLbConfig withPolicies(String prefill, String decode) {
        return new MiniLbConfig(host, port, prefills, decodes, prefill, decode, timeouts, limits, resilience, discovery);
    }

    public MiniLbConfig withTimeouts(Timeouts newTimeouts) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, newTimeouts, limits, resilience, discovery);
    }

    public MiniLbConfig withLimits(Limits newLimits) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, newLimits, resilience, discovery);
    }

    public MiniLbConfig withResilience(WorkerResilience newResilience) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, newResilience, discovery);
    }

    public MiniLbConfig withDiscovery(Discovery newDiscovery) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, resilience, newDiscovery);
    }

    public MiniLbConfig withMaxPayloadBytes(long bytes) {
        return withLimits(limits.withMaxPayloadBytes(bytes));
    }

    public Duration requestTimeout() {
        return timeouts.request();
    }
}
