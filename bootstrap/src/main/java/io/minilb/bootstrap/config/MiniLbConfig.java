package io.minilb.bootstrap.config;

import io.minilb.adapters.in.http.AccessKeys;
import io.minilb.application.admission.AdmissionSettings;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything mini-lb needs to start. Build it in code to embed mini-lb (the five-argument constructor, then the
 * {@code with} methods for what differs from the defaults), or let the CLI build it from flags and a YAML file.
 *
 * @param port 0 picks a free port (see {@code MiniLb.port()})
 * @param prefillPolicy a selection policy name: {@code random}, {@code round_robin}, {@code power_of_two},
 *     {@code least_load}, {@code cache_aware}, {@code consistent_hashing} or {@code prefix_hash}
 * @param resilience when a worker counts as failing (circuit breaker, health thresholds)
 * @param observability request ids, forwarded headers, the worker key, the access log and log format
 * @param accessKeys the keys clients must present (none: every route open)
 * @param admission how many generations run at once, how many wait, how fast they are admitted
 * @param prometheus where {@code /metrics} is served besides the main port
 * @param routing tuning of the prompt- and load-aware policies
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
        Observability observability,
        AccessKeys accessKeys,
        AdmissionSettings admission,
        PrometheusSettings prometheus,
        RoutingSettings routing,
        Discovery discovery) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /**
     * The prefill is where a shared prompt prefix saves work (its radix cache): cache_aware keeps a prefix on the
     * prefill that has it. Measured in docs/ROUTING.md.
     */
    public static final String DEFAULT_PREFILL_POLICY = "cache_aware";
    /** The decode has no prefix to exploit; its latency is its load: the less loaded of two. */
    public static final String DEFAULT_DECODE_POLICY = "power_of_two";

    public MiniLbConfig {
        Objects.requireNonNull(host, "host");
        prefills = List.copyOf(prefills);
        decodes = List.copyOf(decodes);
        Objects.requireNonNull(prefillPolicy, "prefillPolicy");
        Objects.requireNonNull(decodePolicy, "decodePolicy");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(resilience, "resilience");
        Objects.requireNonNull(observability, "observability");
        Objects.requireNonNull(accessKeys, "accessKeys");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(prometheus, "prometheus");
        Objects.requireNonNull(routing, "routing");
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

    /** The settings that have no parameter here: their defaults. */
    public MiniLbConfig(String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes,
            String prefillPolicy, String decodePolicy, Timeouts timeouts, Limits limits, WorkerResilience resilience) {
        this(host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, resilience,
                Discovery.disabled());
    }

    /** With service discovery, which may find all of one side's workers (so a list may be empty). */
    public MiniLbConfig(String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes,
            String prefillPolicy, String decodePolicy, Timeouts timeouts, Limits limits, WorkerResilience resilience,
            Discovery discovery) {
        this(host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits, resilience,
                Observability.defaults(), AccessKeys.none(), AdmissionSettings.defaults(), PrometheusSettings.defaults(),
                RoutingSettings.defaults(), discovery);
    }

    /** The seed's {@code MiniLbConfig::new(host, port, prefills, decodes, timeout)}, with defaults for the rest. */
    public MiniLbConfig(
            String host, int port, List<PrefillWorker> prefills, List<DecodeWorker> decodes, Duration requestTimeout) {
        this(host, port, prefills, decodes, DEFAULT_PREFILL_POLICY, DEFAULT_DECODE_POLICY,
                Timeouts.withRequestTimeout(requestTimeout), Limits.defaults(), WorkerResilience.defaults());
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

    public MiniLbConfig withHost(String newHost) {
        return copy(settings -> settings.host = newHost);
    }

    /** The same policy for both sides. */
    public MiniLbConfig withPolicy(String policy) {
        return withPolicies(policy, policy);
    }

    public MiniLbConfig withPolicies(String prefill, String decode) {
        return copy(settings -> {
            settings.prefillPolicy = prefill;
            settings.decodePolicy = decode;
        });
    }

    public MiniLbConfig withTimeouts(Timeouts newTimeouts) {
        return copy(settings -> settings.timeouts = newTimeouts);
    }

    public MiniLbConfig withLimits(Limits newLimits) {
        return copy(settings -> settings.limits = newLimits);
    }

    public MiniLbConfig withResilience(WorkerResilience newResilience) {
        return copy(settings -> settings.resilience = newResilience);
    }

    public MiniLbConfig withObservability(Observability newObservability) {
        return copy(settings -> settings.observability = newObservability);
    }

    public MiniLbConfig withAccessKeys(AccessKeys newAccessKeys) {
        return copy(settings -> settings.accessKeys = newAccessKeys);
    }

    public MiniLbConfig withAdmission(AdmissionSettings newAdmission) {
        return copy(settings -> settings.admission = newAdmission);
    }

    public MiniLbConfig withPrometheus(PrometheusSettings newPrometheus) {
        return copy(settings -> settings.prometheus = newPrometheus);
    }

    public MiniLbConfig withRouting(RoutingSettings newRouting) {
        return copy(settings -> settings.routing = newRouting);
    }

    public MiniLbConfig withDiscovery(Discovery newDiscovery) {
        return copy(settings -> settings.discovery = newDiscovery);
    }

    public MiniLbConfig withMaxPayloadBytes(long bytes) {
        return withLimits(limits.withMaxPayloadBytes(bytes));
    }

    public Duration requestTimeout() {
        return timeouts.request();
    }

    /** This configuration with what {@code change} sets; validated again as a whole. */
    private MiniLbConfig copy(Consumer<Settings> change) {
        var settings = new Settings(this);
        change.accept(settings);
        return settings.build();
    }

    /** The fields a {@code with} method changes: one place to add a field, not one per method. */
    private static final class Settings {
        private String host;
        private final int port;
        private final List<PrefillWorker> prefills;
        private final List<DecodeWorker> decodes;
        private String prefillPolicy;
        private String decodePolicy;
        private Timeouts timeouts;
        private Limits limits;
        private WorkerResilience resilience;
        private Observability observability;
        private AccessKeys accessKeys;
        private AdmissionSettings admission;
        private PrometheusSettings prometheus;
        private RoutingSettings routing;
        private Discovery discovery;

        private Settings(MiniLbConfig config) {
            host = config.host;
            port = config.port;
            prefills = config.prefills;
            decodes = config.decodes;
            prefillPolicy = config.prefillPolicy;
            decodePolicy = config.decodePolicy;
            timeouts = config.timeouts;
            limits = config.limits;
            resilience = config.resilience;
            observability = config.observability;
            accessKeys = config.accessKeys;
            admission = config.admission;
            prometheus = config.prometheus;
            routing = config.routing;
            discovery = config.discovery;
        }

        private MiniLbConfig build() {
            return new MiniLbConfig(host, port, prefills, decodes, prefillPolicy, decodePolicy, timeouts, limits,
                    resilience, observability, accessKeys, admission, prometheus, routing, discovery);
        }
    }
}
