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
 * @param prefillPolicy a selection policy name: {@code random}, {@code round_robin}, {@code power_of_two},
 *     {@code least_load}, {@code cache_aware}, {@code consistent_hashing} or {@code prefix_hash}
 * @param resilience when a worker counts as failing (circuit breaker, health thresholds)
 * @param routing tuning of the prompt- and load-aware policies
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
        RoutingSettings routing) {

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
        Objects.requireNonNull(routing, "routing");
        if (host.isBlank()) {
            throw new InvalidConfigurationException("--host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidConfigurationException("--port " + port + " is outside 0-65535");
        }
        if (prefills.isEmpty()) {
            throw new InvalidConfigurationException(
                    "no prefill server configured: give at least one --prefill URL [BOOTSTRAP_PORT|none]");
        }
        if (decodes.isEmpty()) {
            throw new InvalidConfigurationException("no decode server configured: give at least one --decode URL");
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

    /** With the default routing settings. */
    public MiniLbConfig(String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes,
            String prefillPolicy, String decodePolicy, Timeouts timeouts, Limits limits, WorkerResilience resilience) {
        this(host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, resilience,
                RoutingSettings.defaults());
    }

    /** The seed's {@code MiniLbConfig::new(host, port, prefills, decodes, timeout)}, with defaults for the rest. */
    public MiniLbConfig(
            String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes, Duration requestTimeout) {
        this(host, port, prefills, decodes, DEFAULT_POLICY, DEFAULT_POLICY,
                Timeouts.withRequestTimeout(requestTimeout), Limits.defaults(), WorkerResilience.defaults(),
                RoutingSettings.defaults());
    }

    /** The same policy for both sides. */
    public MiniLbConfig withPolicy(String policy) {
        return withPolicies(policy, policy);
    }

    public MiniLbConfig withPolicies(String prefill, String decode) {
        return new MiniLbConfig(host, port, prefills, decodes, prefill, decode, timeouts, limits, resilience, routing);
    }

    public MiniLbConfig withTimeouts(Timeouts newTimeouts) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, newTimeouts, limits, resilience, routing);
    }

    public MiniLbConfig withLimits(Limits newLimits) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, newLimits, resilience, routing);
    }

    public MiniLbConfig withResilience(WorkerResilience newResilience) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, newResilience, routing);
    }

    public MiniLbConfig withRouting(RoutingSettings newRouting) {
        return new MiniLbConfig(
                host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, resilience, newRouting);
    }

    public MiniLbConfig withMaxPayloadBytes(long bytes) {
        return withLimits(limits.withMaxPayloadBytes(bytes));
    }

    public Duration requestTimeout() {
        return timeouts.request();
    }
}
