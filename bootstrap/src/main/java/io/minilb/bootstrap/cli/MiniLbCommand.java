package io.minilb.bootstrap.cli;

import io.minilb.adapters.in.kubernetes.DiscoverySettings;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.config.Discovery;
import io.minilb.bootstrap.config.ConfigFile;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.Limits;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.Timeouts;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.retry.RetrySettings;
import io.minilb.bootstrap.config.WorkerSpecs;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line. Unset options stay null so that the config file, then the defaults, fill them. */
@Command(
        name = "mini-lb",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = "Load balancer for SGLang prefill/decode disaggregated serving.",
        footer = {"", "Flags override the keys of --config; keys are the flag names without dashes.",
                "Example: mini-lb --prefill http://10.0.0.1:30000 8998 --decode http://10.0.0.2:30000"})
public final class MiniLbCommand {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the same keys as these flags.")
    Path config;

    @Option(names = "--host", description = "Address to listen on (default: 127.0.0.1; 0.0.0.0 serves a network).")
    String host;

    @Option(names = "--port", description = "Port to listen on (default: 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--prefill", paramLabel = "URL [BOOTSTRAP_PORT|none]", arity = "1..2",
            parameterConsumer = PrefillArgumentConsumer.class,
            description = "A prefill server and its KV bootstrap port (repeatable). 'none' or no port: the server's own default.")
    List<List<String>> prefills = new ArrayList<>();

    @Option(names = "--decode", paramLabel = "URL", description = "A decode server (repeatable).")
    List<String> decodes = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "NAME",
            description = "Selection policy for both sides: random (default) or round_robin.")
    String policy;

    @Option(names = "--prefill-policy", paramLabel = "NAME", description = "Selection policy for prefill servers; overrides --policy.")
    String prefillPolicy;

    @Option(names = "--decode-policy", paramLabel = "NAME", description = "Selection policy for decode servers; overrides --policy.")
    String decodePolicy;

    @Option(names = "--request-timeout-secs", paramLabel = "SECONDS",
            description = "Bound on a whole generation, streams included (default: 1800).")
    Long requestTimeoutSecs;

    @Option(names = "--request-read-timeout-secs", paramLabel = "SECONDS",
            description = "How long a client may take to send its whole request; then 408 (default: 30).")
    Long requestReadTimeoutSecs;

    @Option(names = {"--max-payload-bytes", "--max-payload-size"}, paramLabel = "BYTES",
            description = "Largest request body accepted; larger ones get 413 (default: 268435456).")
    Long maxPayloadBytes;

    @Option(names = "--max-response-bytes", paramLabel = "BYTES",
            description = "Largest answer held whole (non-streamed, or to merge logprobs) (default: 67108864).")
    Long maxResponseBytes;

    @Option(names = "--max-buffered-bytes", paramLabel = "BYTES",
            description = "Bytes held for all requests together; past it new requests get 503 (default: a quarter of the heap).")
    Long maxBufferedBytes;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Open client connections; beyond it new ones are refused (default: 10000).")
    Integer maxConnections;

    @Option(names = "--stream-buffer-bytes", paramLabel = "BYTES",
            description = "Bytes queued for a slow streaming client before its decode is paused (default: 65536).")
    Integer streamBufferBytes;

    @Option(names = "--admin-timeout-secs", paramLabel = "SECONDS",
            description = "Bound on each admin call to a server: health, flush, info (default: 30).")
    Long adminTimeoutSecs;

    @Option(names = {"--shutdown-grace-secs", "--shutdown-grace-period-secs"}, paramLabel = "SECONDS",
            description = "On stop, how long in-flight generations may finish (default: 30).")
    Long shutdownGraceSecs;

    @Option(names = "--cb-failure-threshold", paramLabel = "N",
            description = "Failures in a row, within the window, that open a worker's circuit (default: 3).")
    Long cbFailureThreshold;

    @Option(names = "--cb-success-threshold", paramLabel = "N",
            description = "Successes in a row that close a half-open circuit; also its trials at a time (default: 2).")
    Long cbSuccessThreshold;

    @Option(names = "--cb-timeout-duration-secs", paramLabel = "SECONDS",
            description = "How long an open circuit stays open before it admits trials (default: 10).")
    Long cbTimeoutDurationSecs;

    @Option(names = "--cb-window-duration-secs", paramLabel = "SECONDS",
            description = "How far back failures count towards opening a circuit (default: 120).")
    Long cbWindowDurationSecs;

    @Option(names = "--disable-circuit-breaker",
            description = "Never take a worker out of rotation for its failed requests.")
    Boolean disableCircuitBreaker;

    // Accepted so that SGLang router command lines run unchanged; see the README for what each means here.
    @Option(names = "--pd-disaggregation", description = "Accepted for compatibility: mini-lb is always PD.")
    Boolean pdDisaggregation;

    @Option(names = "--worker-startup-timeout-secs", paramLabel = "SECONDS",
            description = "Accepted for compatibility: mini-lb serves at once, answering 503 until a pair is available.")
    Long workerStartupTimeoutSecs;

    @Option(names = "--worker-startup-check-interval", paramLabel = "SECONDS",
            description = "Accepted for compatibility, as --worker-startup-timeout-secs.")
    Long workerStartupCheckInterval;

    @Option(names = "--health-check-interval-secs", paramLabel = "SECONDS",
            description = "Time between health check rounds; the first runs at startup (default: 10).")
    Long healthCheckIntervalSecs;

    @Option(names = "--health-check-timeout-secs", paramLabel = "SECONDS",
            description = "How long a server has to answer a health check (default: 5).")
    Long healthCheckTimeoutSecs;

    @Option(names = "--health-failure-threshold", paramLabel = "N",
            description = "Failed checks in a row that take a healthy server out (default: 3).")
    Integer healthFailureThreshold;

    @Option(names = "--health-success-threshold", paramLabel = "N",
            description = "Passed checks in a row that bring an unhealthy server back (default: 2).")
    Integer healthSuccessThreshold;

    @Option(names = "--health-check-endpoint", paramLabel = "PATH",
            description = "Path checked on each server; a prefill's bootstrap server is checked on /health too (default: /health).")
    String healthCheckEndpoint;

    @Option(names = "--disable-health-check", description = "Never check servers; only circuit breakers take them out.")
    Boolean disableHealthCheck;

    @Option(names = "--retry-max-retries", paramLabel = "N",
            description = "Attempts per request in all, the first included, as SGLang's router counts them (default: 3).")
    Long retryMaxRetries;

    @Option(names = "--retry-initial-backoff-ms", paramLabel = "MS",
            description = "Wait before the first retry (default: 50).")
    Long retryInitialBackoffMs;

    @Option(names = "--retry-max-backoff-ms", paramLabel = "MS",
            description = "Cap on any wait between attempts, before jitter (default: 1000).")
    Long retryMaxBackoffMs;

    @Option(names = "--retry-backoff-multiplier", paramLabel = "X",
            description = "Growth of each wait over the one before (default: 1.5).")
    Double retryBackoffMultiplier;

    @Option(names = "--retry-jitter-factor", paramLabel = "F",
            description = "Each wait moves by up to this share of itself either way, 0-1 (default: 0.2).")
    Double retryJitterFactor;

    @Option(names = "--disable-retries", description = "One attempt per request: no retry on another pair.")
    boolean disableRetries;

    @Option(names = "--service-discovery",
            description = "Find workers among the Kubernetes pods the selectors match; static ones stay.")
    Boolean serviceDiscovery;

    @Option(names = "--prefill-selector", paramLabel = "KEY=VALUE", arity = "1..*",
            description = "Labels of prefill pods (all must match); annotation sglang.ai/bootstrap-port gives the bootstrap port.")
    List<String> prefillSelector = new ArrayList<>();

    @Option(names = "--decode-selector", paramLabel = "KEY=VALUE", arity = "1..*",
            description = "Labels of decode pods (all must match).")
    List<String> decodeSelector = new ArrayList<>();

    @Option(names = "--service-discovery-namespace", paramLabel = "NAMESPACE",
            description = "Namespace whose pods are watched (default: all namespaces, which needs a ClusterRole).")
    String serviceDiscoveryNamespace;

    @Option(names = "--service-discovery-port", paramLabel = "PORT",
            description = "Workers' HTTP port on the pod IP, unless annotation smg.ai/worker-ports names it (default: 80).")
    Long serviceDiscoveryPort;

    /** Merges flags over the config file over the defaults. */
    public MiniLbConfig toConfig() {
        ConfigFile file = config == null ? ConfigFile.none() : ConfigFile.read(config);
        List<PrefillWorker> prefillWorkers = prefills.isEmpty()
                ? file.list("prefill").stream().map(WorkerSpecs::prefill).toList()
                : prefills.stream().map(WorkerSpecs::prefill).toList();
        List<DecodeWorker> decodeWorkers = (decodes.isEmpty() ? file.list("decode") : decodes).stream()
                .map(WorkerSpecs::decode).toList();
        String sharedPolicy = first(policy, file.text("policy")).orElse(MiniLbConfig.DEFAULT_POLICY);
        return new MiniLbConfig(
                first(host, file.text("host")).orElse(MiniLbConfig.DEFAULT_HOST),
                port(first(port == null ? null : port.longValue(), file.number("port"))
                        .orElse((long) MiniLbConfig.DEFAULT_PORT)),
                prefillWorkers,
                decodeWorkers,
                first(prefillPolicy, file.text("prefill-policy")).orElse(sharedPolicy),
                first(decodePolicy, file.text("decode-policy")).orElse(sharedPolicy),
                timeouts(file),
                limits(file),
                resilience(file).withRetry(retry(file)),
                discovery(file));
    }

    private Discovery discovery(ConfigFile file) {
        if (!first(serviceDiscovery, file.flag("service-discovery")).orElse(false)) {
            return Discovery.disabled();
        }
        long discoveryPort = first(serviceDiscoveryPort, file.number("service-discovery-port"))
                .orElse((long) DiscoverySettings.DEFAULT_PORT);
        if (discoveryPort < 1 || discoveryPort > 65_535) {
            throw new InvalidConfigurationException("--service-discovery-port " + discoveryPort + " is outside 1-65535");
        }
        return Discovery.enabled(new DiscoverySettings(
                first(serviceDiscoveryNamespace, file.text("service-discovery-namespace")),
                (int) discoveryPort,
                selector("--prefill-selector", prefillSelector.isEmpty() ? file.list("prefill-selector") : prefillSelector),
                selector("--decode-selector", decodeSelector.isEmpty() ? file.list("decode-selector") : decodeSelector)));
    }

    /** {@code key=value} pairs, as SGLang's router reads them (the first {@code =} splits). */
    private static Map<String, String> selector(String flag, List<String> pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : pairs) {
            int split = pair.indexOf('=');
            if (split < 1) {
                throw new InvalidConfigurationException(flag + " takes KEY=VALUE pairs, got '" + pair + "'");
            }
            labels.put(pair.substring(0, split), pair.substring(split + 1));
        }
        return labels;
    }

    private RetrySettings retry(ConfigFile file) {
        boolean disabled = disableRetries || file.flag("disable-retries").orElse(false);
        try {
            return new RetrySettings(!disabled,
                    // SGLang's router makes at least one attempt whatever the value, 0 included.
                    Math.max(1, intValue(first(retryMaxRetries, file.number("retry-max-retries")),
                            WorkerResilience.DEFAULT_RETRY_MAX_ATTEMPTS, "--retry-max-retries")),
                    first(retryInitialBackoffMs, file.number("retry-initial-backoff-ms")).map(Duration::ofMillis)
                            .orElse(WorkerResilience.DEFAULT_RETRY_INITIAL_BACKOFF),
                    first(retryMaxBackoffMs, file.number("retry-max-backoff-ms")).map(Duration::ofMillis)
                            .orElse(WorkerResilience.DEFAULT_RETRY_MAX_BACKOFF),
                    first(retryBackoffMultiplier, file.text("retry-backoff-multiplier").map(Double::parseDouble))
                            .orElse(WorkerResilience.DEFAULT_RETRY_BACKOFF_MULTIPLIER),
                    first(retryJitterFactor, file.text("retry-jitter-factor").map(Double::parseDouble))
                            .orElse(WorkerResilience.DEFAULT_RETRY_JITTER_FACTOR));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("retry settings: " + e.getMessage());
        }
    }

    private WorkerResilience withHealthChecks(WorkerResilience resilience, ConfigFile file) {
        WorkerResilience defaults = WorkerResilience.defaults();
        HealthCheckSettings checks = defaults.healthChecks();
        try {
            return resilience.withHealth(
                    new HealthThresholds(
                            intValue(first(healthFailureThreshold == null ? null : healthFailureThreshold.longValue(),
                                    file.number("health-failure-threshold")),
                                    defaults.health().failureThreshold(), "--health-failure-threshold"),
                            intValue(first(healthSuccessThreshold == null ? null : healthSuccessThreshold.longValue(),
                                    file.number("health-success-threshold")),
                                    defaults.health().successThreshold(), "--health-success-threshold")),
                    new HealthCheckSettings(
                            !first(disableHealthCheck, file.flag("disable-health-check")).orElse(false),
                            seconds(healthCheckIntervalSecs, file.number("health-check-interval-secs"),
                                    checks.interval()),
                            seconds(healthCheckTimeoutSecs, file.number("health-check-timeout-secs"),
                                    checks.timeout()),
                            first(healthCheckEndpoint, file.text("health-check-endpoint")).orElse(checks.endpoint())));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    private Timeouts timeouts(ConfigFile file) {
        return new Timeouts(
                seconds(requestTimeoutSecs, file.number("request-timeout-secs"), Timeouts.DEFAULT_REQUEST),
                seconds(adminTimeoutSecs, file.number("admin-timeout-secs"), Timeouts.DEFAULT_ADMIN),
                seconds(shutdownGraceSecs,
                        file.number("shutdown-grace-secs").or(() -> file.number("shutdown-grace-period-secs")),
                        Timeouts.DEFAULT_SHUTDOWN_GRACE),
                seconds(requestReadTimeoutSecs, file.number("request-read-timeout-secs"), Timeouts.DEFAULT_REQUEST_READ));
    }

    private Limits limits(ConfigFile file) {
        Optional<Long> buffered = first(maxBufferedBytes, file.number("max-buffered-bytes"));
        return new Limits(
                first(maxPayloadBytes, file.number("max-payload-bytes").or(() -> file.number("max-payload-size")))
                        .orElse(Limits.DEFAULT_MAX_PAYLOAD_BYTES),
                first(maxResponseBytes, file.number("max-response-bytes")).orElse(Limits.DEFAULT_MAX_RESPONSE_BYTES),
                buffered.map(OptionalLong::of).orElse(OptionalLong.empty()),
                intValue(first(maxConnections == null ? null : maxConnections.longValue(), file.number("max-connections")),
                        Limits.DEFAULT_MAX_CONNECTIONS, "--max-connections"),
                intValue(first(streamBufferBytes == null ? null : streamBufferBytes.longValue(),
                        file.number("stream-buffer-bytes")), Limits.DEFAULT_STREAM_BUFFER_BYTES, "--stream-buffer-bytes"));
    }

    private WorkerResilience resilience(ConfigFile file) {
        acceptCompatibilityFlags(file);
        CircuitBreakerSettings defaults = WorkerResilience.defaults().circuitBreaker();
        return withHealthChecks(WorkerResilience.defaults().withCircuitBreaker(new CircuitBreakerSettings(
                !first(disableCircuitBreaker, file.flag("disable-circuit-breaker")).orElse(false),
                positiveInt(first(cbFailureThreshold, file.number("cb-failure-threshold")),
                        defaults.failureThreshold(), "--cb-failure-threshold"),
                positiveInt(first(cbSuccessThreshold, file.number("cb-success-threshold")),
                        defaults.successThreshold(), "--cb-success-threshold"),
                positiveSeconds(first(cbTimeoutDurationSecs, file.number("cb-timeout-duration-secs")),
                        defaults.timeout(), "--cb-timeout-duration-secs"),
                positiveSeconds(first(cbWindowDurationSecs, file.number("cb-window-duration-secs")),
                        defaults.window(), "--cb-window-duration-secs"))), file);
    }

    /** SGLang router flags with no effect here: checked like any flag, so a typo in a value is still reported. */
    private void acceptCompatibilityFlags(ConfigFile file) {
        file.flag("pd-disaggregation");
        requirePositive(first(workerStartupTimeoutSecs, file.number("worker-startup-timeout-secs")),
                "--worker-startup-timeout-secs");
        requirePositive(first(workerStartupCheckInterval, file.number("worker-startup-check-interval")),
                "--worker-startup-check-interval");
    }

    private static int positiveInt(Optional<Long> value, int fallback, String flag) {
        requirePositive(value, flag);
        return intValue(value, fallback, flag);
    }

    private static Duration positiveSeconds(Optional<Long> value, Duration fallback, String flag) {
        requirePositive(value, flag);
        return value.map(Duration::ofSeconds).orElse(fallback);
    }

    private static void requirePositive(Optional<Long> value, String flag) {
        value.filter(chosen -> chosen < 1).ifPresent(chosen -> {
            throw new InvalidConfigurationException(flag + " must be at least 1, got " + chosen);
        });
    }

    private static int intValue(Optional<Long> value, int fallback, String flag) {
        long chosen = value.orElse((long) fallback);
        if (chosen > Integer.MAX_VALUE) {
            throw new InvalidConfigurationException(flag + " must be at most " + Integer.MAX_VALUE + ", got " + chosen);
        }
        return (int) chosen;
    }

    private static int port(long value) {
        if (value < 0 || value > 65_535) {
            throw new InvalidConfigurationException("--port " + value + " is outside 0-65535");
        }
        return (int) value;
    }

    private static Duration seconds(Long flag, Optional<Long> fromFile, Duration fallback) {
        return first(flag, fromFile).map(Duration::ofSeconds).orElse(fallback);
    }

    private static <T> Optional<T> first(T flag, Optional<T> fromFile) {
        return flag != null ? Optional.of(flag) : fromFile;
    }
}
