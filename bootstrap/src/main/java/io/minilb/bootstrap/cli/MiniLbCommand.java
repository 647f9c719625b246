package io.minilb.bootstrap.cli;

import io.minilb.adapters.in.http.AccessKeys;
import io.minilb.application.admission.AdmissionSettings;
import io.minilb.adapters.in.kubernetes.DiscoverySettings;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.config.Discovery;
import io.minilb.bootstrap.config.ConfigFile;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.Limits;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.PrometheusSettings;
import io.minilb.bootstrap.config.Observability;
import io.minilb.bootstrap.config.RoutingSettings;
import io.minilb.bootstrap.config.Timeouts;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.retry.RetrySettings;
import io.minilb.bootstrap.config.WorkerSpecs;
import io.minilb.bootstrap.wiring.PolicyNames;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.selection.CacheAwareSettings;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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

    /**
     * What the JIT needs, on 2 cores, before the first seconds of traffic run at a good part of the steady speed
     * (docs/PERFORMANCE.md); a readiness probe waits this long once per start.
     */
    public static final long DEFAULT_WARM_UP_SECS = 10;
    static final long MAX_WARM_UP_SECS = 300;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the same keys as these flags.")
    Path config;

    private ConfigFile configFile;

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
            description = "Selection policy for both sides: random, round_robin, power_of_two, least_load, "
                    + "cache_aware, consistent_hashing or prefix_hash (default: cache_aware for prefill, "
                    + "power_of_two for decode).")
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

    @Option(names = "--warm-up-secs", paramLabel = "SECONDS",
            description = "After start, at most this long compiling the request path through a private instance; "
                    + "/readiness is 503 meanwhile; 0: none (default: " + DEFAULT_WARM_UP_SECS + ").")
    Long warmUpSecs;

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

    @Option(names = "--request-id-headers", paramLabel = "HEADER", arity = "1..*",
            description = "Headers a client's request id is taken from, first present wins (default: x-request-id "
                    + "x-correlation-id x-trace-id request-id).")
    List<String> requestIdHeaders;

    @Option(names = "--forward-headers", paramLabel = "HEADER", arity = "1..*",
            description = "More headers forwarded to both servers, besides Authorization, the request-id headers, "
                    + "traceparent and tracestate.")
    List<String> forwardHeaders;

    @Option(names = "--worker-api-key", paramLabel = "KEY",
            description = "Sent to the servers as 'Authorization: Bearer KEY' instead of the client's header.")
    String workerApiKey;

    @Option(names = "--disable-access-log", description = "No access log line per request.")
    Boolean disableAccessLog;

    @Option(names = "--log-json", description = "Log lines as JSON objects.")
    Boolean logJson;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "debug, info, warn or error (default: info, or the MINILB_LOG_LEVEL environment variable).")
    String logLevel;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Clients must send 'Authorization: Bearer KEY' to generate (and for the admin routes when "
                    + "no admin key is set). A command line is visible to local users: prefer --api-key-file.")
    String apiKey;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "Reads --api-key from this file.")
    Path apiKeyFile;

    @Option(names = "--admin-api-key", paramLabel = "KEY",
            description = "The admin routes (/flush_cache, /workers, /health_generate, ...) need this key; the "
                    + "client key does not open them.")
    String adminApiKey;

    @Option(names = "--admin-api-key-file", paramLabel = "FILE", description = "Reads --admin-api-key from this file.")
    Path adminApiKeyFile;

    @Option(names = "--max-concurrent-requests", paramLabel = "N",
            description = "Generations in flight at most; past it they queue. -1 or 0: no limit (default: -1).")
    Long maxConcurrentRequests;

    @Option(names = "--queue-size", paramLabel = "N",
            description = "Requests that may wait for a slot; beyond it 429. 0: none wait (default: 100).")
    Long queueSize;

    @Option(names = "--queue-timeout-secs", paramLabel = "SECONDS",
            description = "How long a request may wait in the queue; then 408 (default: 60).")
    Long queueTimeoutSecs;

    @Option(names = "--rate-limit-tokens-per-second", paramLabel = "N",
            description = "Requests admitted per second, in bursts of up to N; 0: no rate limit (default: 0).")
    Long rateLimitTokensPerSecond;

    @Option(names = "--prometheus-host", paramLabel = "HOST",
            description = "Also serve /metrics on a listener of its own at this address (default: --host).")
    String prometheusHost;

    @Option(names = "--prometheus-port", paramLabel = "PORT",
            description = "Also serve /metrics on a listener of its own at this port (default: 29000 when "
                    + "--prometheus-host is given; /metrics is always on --port too).")
    Integer prometheusPort;

    @Option(names = "--cache-threshold", paramLabel = "F",
            description = "cache_aware: share of the prompt (0-1) a worker's routed prefixes must match for it to get the request (default: 0.3).")
    Double cacheThreshold;

    @Option(names = "--balance-abs-threshold", paramLabel = "N",
            description = "cache_aware: in-flight gap between the busiest and idlest worker beyond which the least loaded gets the request (default: 64).")
    Long balanceAbsThreshold;

    @Option(names = "--balance-rel-threshold", paramLabel = "X",
            description = "cache_aware: ... and ratio of their in-flight counts beyond which it does (default: 1.5).")
    Double balanceRelThreshold;

    @Option(names = "--eviction-interval", paramLabel = "SECONDS",
            description = "cache_aware: time between trims of its prefix tree (default: 120).")
    Long evictionInterval;

    @Option(names = "--max-tree-size", paramLabel = "N",
            description = "cache_aware: characters (or tokens) of prefixes kept per worker after a trim (default: 1048576).")
    Long maxTreeSize;

    @Option(names = "--prefix-token-count", paramLabel = "N",
            description = "prefix_hash: prompt tokens hashed to pick the worker (default: 256).")
    Long prefixTokenCount;

    @Option(names = "--prefix-hash-load-factor", paramLabel = "X",
            description = "prefix_hash: load, relative to the average, beyond which a prompt goes to the least loaded worker instead (default: 1.25).")
    Double prefixHashLoadFactor;

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
        ConfigFile file = configFile();
        List<PrefillWorker> prefillWorkers = prefills.isEmpty()
                ? file.list("prefill").stream().map(WorkerSpecs::prefill).toList()
                : prefills.stream().map(WorkerSpecs::prefill).toList();
        List<DecodeWorker> decodeWorkers = (decodes.isEmpty() ? file.list("decode") : decodes).stream()
                .map(WorkerSpecs::decode).toList();
        Optional<String> sharedPolicy = policy(policy, "--policy", file, "policy");
        return new MiniLbConfig(
                first(host, file.text("host")).orElse(MiniLbConfig.DEFAULT_HOST),
                port(first(port == null ? null : port.longValue(), file.number("port"))
                        .orElse((long) MiniLbConfig.DEFAULT_PORT)),
                prefillWorkers,
                decodeWorkers,
                policy(prefillPolicy, "--prefill-policy", file, "prefill-policy").or(() -> sharedPolicy)
                        .orElse(MiniLbConfig.DEFAULT_PREFILL_POLICY),
                policy(decodePolicy, "--decode-policy", file, "decode-policy").or(() -> sharedPolicy)
                        .orElse(MiniLbConfig.DEFAULT_DECODE_POLICY),
                timeouts(file),
                limits(file),
                resilience(file).withRetry(retry(file)),
                observability(file),
                accessKeys(file),
                admission(file),
                prometheus(file),
                routing(file),
                discovery(file));
    }

    /** How long to warm up after start ({@code --warm-up-secs}): a process's choice, not an embedded mini-lb's. */
    public Duration warmUp() {
        long seconds = first(warmUpSecs, configFile().number("warm-up-secs")).orElse(DEFAULT_WARM_UP_SECS);
        if (seconds < 0 || seconds > MAX_WARM_UP_SECS) {
            throw new InvalidConfigurationException(
                    "--warm-up-secs must be between 0 and " + MAX_WARM_UP_SECS + ", got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    private ConfigFile configFile() {
        if (configFile == null) {
            configFile = config == null ? ConfigFile.none() : ConfigFile.read(config);
        }
        return configFile;
    }

    private Observability observability(ConfigFile file) {
        List<String> idHeaders = requestIdHeaders != null ? requestIdHeaders : file.list("request-id-headers");
        return new Observability(
                idHeaders.isEmpty() ? Observability.DEFAULT_REQUEST_ID_HEADERS : idHeaders,
                forwardHeaders != null ? forwardHeaders : file.list("forward-headers"),
                first(workerApiKey, file.text("worker-api-key")),
                !first(disableAccessLog, file.flag("disable-access-log")).orElse(false),
                first(logJson, file.flag("log-json")).orElse(false),
                first(logLevel, file.text("log-level")));
    }

    /** A policy from its flag, else its config key; checked here, where it is known which of them the user typed. */
    private static Optional<String> policy(String flagValue, String flag, ConfigFile file, String key) {
        if (flagValue != null) {
            return Optional.of(PolicyNames.require(flagValue, flag));
        }
        return file.text(key).map(name -> PolicyNames.require(name, file.describe(key)));
    }

    private AccessKeys accessKeys(ConfigFile file) {
        try {
            return new AccessKeys(
                    key(apiKey, apiKeyFile, file, "api-key"),
                    key(adminApiKey, adminApiKeyFile, file, "admin-api-key"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    /** A key given itself or in a file (its content, without the line end), by flag or config key; not both. */
    private static Optional<String> key(String flag, Path flagFile, ConfigFile file, String name) {
        Optional<String> given = first(flag, file.text(name));
        Optional<Path> fromFile = first(flagFile, file.text(name + "-file").map(Path::of));
        if (given.isPresent() && fromFile.isPresent()) {
            throw new InvalidConfigurationException("give --" + name + " or --" + name + "-file, not both");
        }
        return given.isPresent() ? given : fromFile.map(path -> KeyFile.read(path, "--" + name + "-file"));
    }

    private AdmissionSettings admission(ConfigFile file) {
        try {
            return new AdmissionSettings(
                    intValue(first(maxConcurrentRequests, file.number("max-concurrent-requests")),
                            AdmissionSettings.DEFAULT_MAX_CONCURRENT_REQUESTS, "--max-concurrent-requests"),
                    intValue(first(queueSize, file.number("queue-size")), AdmissionSettings.DEFAULT_QUEUE_SIZE,
                            "--queue-size"),
                    seconds(queueTimeoutSecs, file.number("queue-timeout-secs"),
                            AdmissionSettings.DEFAULT_QUEUE_TIMEOUT),
                    intValue(first(rateLimitTokensPerSecond, file.number("rate-limit-tokens-per-second")),
                            AdmissionSettings.DEFAULT_RATE_LIMIT_TOKENS_PER_SECOND, "--rate-limit-tokens-per-second"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
    }

    private PrometheusSettings prometheus(ConfigFile file) {
        Optional<Long> metricsPort = first(prometheusPort == null ? null : prometheusPort.longValue(),
                file.number("prometheus-port"));
        if (metricsPort.isPresent() && (metricsPort.get() < 0 || metricsPort.get() > 65_535)) {
            throw new InvalidConfigurationException("--prometheus-port " + metricsPort.get() + " is outside 0-65535");
        }
        return new PrometheusSettings(first(prometheusHost, file.text("prometheus-host")),
                metricsPort.map(port -> OptionalInt.of(port.intValue())).orElse(OptionalInt.empty()));
    }

    private RoutingSettings routing(ConfigFile file) {
        try {
            return new RoutingSettings(
                    new CacheAwareSettings(
                            first(cacheThreshold, file.text("cache-threshold").map(Double::parseDouble))
                                    .orElse(RoutingSettings.DEFAULT_CACHE_THRESHOLD),
                            intValue(first(balanceAbsThreshold, file.number("balance-abs-threshold")),
                                    RoutingSettings.DEFAULT_BALANCE_ABS_THRESHOLD, "--balance-abs-threshold"),
                            first(balanceRelThreshold, file.text("balance-rel-threshold").map(Double::parseDouble))
                                    .orElse(RoutingSettings.DEFAULT_BALANCE_REL_THRESHOLD),
                            intValue(first(maxTreeSize, file.number("max-tree-size")),
                                    RoutingSettings.DEFAULT_MAX_TREE_SIZE, "--max-tree-size")),
                    seconds(evictionInterval, file.number("eviction-interval"),
                            RoutingSettings.DEFAULT_EVICTION_INTERVAL),
                    intValue(first(prefixTokenCount, file.number("prefix-token-count")),
                            RoutingSettings.DEFAULT_PREFIX_TOKEN_COUNT, "--prefix-token-count"),
                    first(prefixHashLoadFactor, file.text("prefix-hash-load-factor").map(Double::parseDouble))
                            .orElse(RoutingSettings.DEFAULT_PREFIX_HASH_LOAD_FACTOR));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("routing settings: " + e.getMessage());
        }
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
