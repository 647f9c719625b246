package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.adapters.in.kubernetes.DiscoverySettings;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.cli.MiniLbCommand;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.Limits;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.Observability;
import io.minilb.bootstrap.config.PrometheusSettings;
import io.minilb.bootstrap.config.RoutingSettings;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.bootstrap.wiring.PolicyNames;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.selection.CacheAwareSettings;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.retry.RetrySettings;
import io.minilb.adapters.in.http.AccessKeys;
import io.minilb.application.admission.AdmissionSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void prefillTakesAnOptionalBootstrapPortOrNone() {
        MiniLbConfig config = parse("--prefill", "http://p1:30000", "8998", "--prefill", "http://p2:30000", "none",
                "--prefill", "http://p3:30000", "--decode", "http://d1:31000", "--decode", "http://d2:31000");
        assertThat(config.prefills()).containsExactly(
                PrefillWorker.of("http://p1:30000", 8998),
                new PrefillWorker("http://p2:30000", OptionalInt.empty()),
                new PrefillWorker("http://p3:30000", OptionalInt.empty()));
        assertThat(config.decodes()).containsExactly(new DecodeWorker("http://d1:31000"), new DecodeWorker("http://d2:31000"));
    }

    @Test
    void defaultsFollowSglangsRouter() {
        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1");
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(1800));
        // Not SGLang's router's (cache_aware on both sides): see docs/ROUTING.md.
        assertThat(config.prefillPolicy()).isEqualTo("cache_aware");
        assertThat(config.decodePolicy()).isEqualTo("power_of_two");
    }

    @Test
    void theSharedPolicyReplacesBothSidesDefaults() {
        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1", "--policy", "random");
        assertThat(config.prefillPolicy()).isEqualTo("random");
        assertThat(config.decodePolicy()).isEqualTo("random");
        MiniLbConfig onlyDecode = parse("--prefill", "http://p:1", "--decode", "http://d:1", "--decode-policy",
                "least_load");
        assertThat(onlyDecode.prefillPolicy()).isEqualTo("cache_aware");
        assertThat(onlyDecode.decodePolicy()).isEqualTo("least_load");
    }

    @Test
    void sidePoliciesOverrideTheSharedOne() {
        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--policy", "round_robin", "--decode-policy", "random");
        assertThat(config.prefillPolicy()).isEqualTo("round_robin");
        assertThat(config.decodePolicy()).isEqualTo("random");
    }

    @Test
    void flagsOverrideTheConfigFile() throws IOException {
        Path file = dir.resolve("mini-lb.yaml");
        Files.writeString(file, String.join("\n",
                "host: 0.0.0.0",
                "port: 9000",
                "prefill:",
                "  - http://p1:30000 8998",
                "  - http://p2:30000 none",
                "decode:",
                "  - http://d1:31000",
                "policy: round_robin",
                "request-timeout-secs: 60",
                "max-payload-bytes: 1024",
                ""));
        MiniLbConfig config = parse("--config", file.toString(), "--port", "9100");
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.prefills()).containsExactly(
                PrefillWorker.of("http://p1:30000", 8998), PrefillWorker.withoutBootstrapPort("http://p2:30000"));
        assertThat(config.prefillPolicy()).isEqualTo("round_robin");
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.limits().maxPayloadBytes()).isEqualTo(1024);
    }

    @Test
    void limitsAndTimeoutsComeFromFlagsOrTheFileWithDefaults() throws IOException {
        MiniLbConfig defaults = parse("--prefill", "http://p:1", "--decode", "http://d:1");
        assertThat(defaults.limits()).isEqualTo(Limits.defaults());
        assertThat(defaults.limits().effectiveMaxBufferedBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
        assertThat(defaults.timeouts().requestRead()).isEqualTo(Duration.ofSeconds(30));

        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, String.join("\n",
                "prefill: [http://p:1]", "decode: [http://d:1]",
                "max-response-bytes: 1000", "max-buffered-bytes: 5000", "max-connections: 30",
                "stream-buffer-bytes: 4096", "request-read-timeout-secs: 7", ""));
        MiniLbConfig config = parse("--config", file.toString(), "--max-connections", "40");
        assertThat(config.limits()).isEqualTo(new Limits(Limits.DEFAULT_MAX_PAYLOAD_BYTES, 1000, OptionalLong.of(5000),
                40, 4096));
        assertThat(config.timeouts().requestRead()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void sglangRouterSpellingsAreAccepted() {
        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--max-payload-size", "2048", "--shutdown-grace-period-secs", "5");
        assertThat(config.limits().maxPayloadBytes()).isEqualTo(2048);
        assertThat(config.timeouts().shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void circuitBreakerFlagsUseSglangRouterNamesWithOurDefaults() {
        MiniLbConfig defaults = parse("--prefill", "http://p:1", "--decode", "http://d:1");
        assertThat(defaults.resilience()).isEqualTo(WorkerResilience.defaults());

        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--cb-failure-threshold", "5", "--cb-success-threshold", "4", "--cb-timeout-duration-secs", "30",
                "--cb-window-duration-secs", "60", "--disable-circuit-breaker");
        assertThat(config.resilience().circuitBreaker()).isEqualTo(
                new CircuitBreakerSettings(false, 5, 4, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }

    @Test
    void circuitBreakerKeysComeFromTheConfigFileUnderFlags() throws IOException {
        Path file = dir.resolve("cb.yaml");
        Files.writeString(file, """
                prefill: ["http://p:1"]
                decode: ["http://d:1"]
                cb-failure-threshold: 7
                cb-timeout-duration-secs: 20
                disable-circuit-breaker: true
                pd-disaggregation: true
                worker-startup-timeout-secs: 600
                worker-startup-check-interval: 10
                """);
        CircuitBreakerSettings breaker = parse("--config", file.toString(), "--cb-timeout-duration-secs", "5")
                .resilience().circuitBreaker();
        assertThat(breaker).isEqualTo(new CircuitBreakerSettings(false, 7,
                WorkerResilience.DEFAULT_CB_SUCCESS_THRESHOLD, Duration.ofSeconds(5), WorkerResilience.DEFAULT_CB_WINDOW));

        Files.writeString(file, "prefill: [\"http://p:1\"]\ndecode: [\"http://d:1\"]\ndisable-circuit-breaker: yes please\n");
        assertThatThrownBy(() -> parse("--config", file.toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'disable-circuit-breaker' must be true or false");
    }

    @Test
    void circuitBreakerValuesBelowOneAreRefusedNamingTheFlag() {
        for (String flag : new String[] {"--cb-failure-threshold", "--cb-success-threshold",
                "--cb-timeout-duration-secs", "--cb-window-duration-secs", "--worker-startup-timeout-secs",
                "--worker-startup-check-interval"}) {
            assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", flag, "0"))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage(flag + " must be at least 1, got 0");
        }
    }

    @Test
    void sglangRouterCompatibilityFlagsAreAcceptedAndChangeNothing() {
        MiniLbConfig plain = parse("--prefill", "http://p:1", "--decode", "http://d:1");
        MiniLbConfig compatible = parse("--pd-disaggregation", "--prefill", "http://p:1", "--decode", "http://d:1",
                "--worker-startup-timeout-secs", "1800", "--worker-startup-check-interval", "30");
        assertThat(compatible).isEqualTo(plain);
    }

    @Test
    void healthChecksTakeSglangRoutersFlagsWithOurDefaults() {
        MiniLbConfig defaults = parse("--prefill", "http://p:1", "--decode", "http://d:1");
        assertThat(defaults.resilience().healthChecks()).isEqualTo(HealthCheckSettings.defaults());
        assertThat(defaults.resilience().healthChecks())
                .isEqualTo(new HealthCheckSettings(true, Duration.ofSeconds(10), Duration.ofSeconds(5), "/health"));
        assertThat(defaults.resilience().health()).isEqualTo(new HealthThresholds(3, 2));

        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--health-check-interval-secs", "30", "--health-check-timeout-secs", "2",
                "--health-failure-threshold", "4", "--health-success-threshold", "1",
                "--health-check-endpoint", "/health_generate", "--disable-health-check");
        assertThat(config.resilience().healthChecks())
                .isEqualTo(new HealthCheckSettings(false, Duration.ofSeconds(30), Duration.ofSeconds(2), "/health_generate"));
        assertThat(config.resilience().health()).isEqualTo(new HealthThresholds(4, 1));
        assertThat(config.resilience().circuitBreaker()).isEqualTo(defaults.resilience().circuitBreaker());
    }

    @Test
    void healthChecksComeFromTheConfigFileUnderFlags() throws IOException {
        Path file = dir.resolve("health.yaml");
        Files.writeString(file, String.join("\n",
                "prefill: [http://p:1]", "decode: [http://d:1]",
                "health-check-interval-secs: 20", "health-check-timeout-secs: 3", "health-failure-threshold: 5",
                "health-success-threshold: 3", "health-check-endpoint: /ping", "disable-health-check: true", ""));

        MiniLbConfig config = parse("--config", file.toString(), "--health-check-timeout-secs", "4");

        assertThat(config.resilience().healthChecks())
                .isEqualTo(new HealthCheckSettings(false, Duration.ofSeconds(20), Duration.ofSeconds(4), "/ping"));
        assertThat(config.resilience().health()).isEqualTo(new HealthThresholds(5, 3));
    }

    @Test
    void invalidHealthCheckSettingsAreRefused() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--health-check-interval-secs", "0"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("health check interval");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--health-failure-threshold", "0"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("health failure threshold");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--health-check-endpoint", "health"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("must start with '/'");
    }

    @Test
    void retriesFollowSglangsRouterFlagsWithOurDefaults() throws IOException {
        RetrySettings defaults = parse("--prefill", "http://p:1", "--decode", "http://d:1").resilience().retry();
        assertThat(defaults).isEqualTo(new RetrySettings(true, 3, Duration.ofMillis(50), Duration.ofSeconds(1), 1.5,
                0.2));

        Path file = dir.resolve("retries.yaml");
        Files.writeString(file, String.join("\n",
                "prefill: [http://p:1]", "decode: [http://d:1]",
                "retry-max-retries: 4", "retry-initial-backoff-ms: 20", "retry-max-backoff-ms: 500",
                "retry-backoff-multiplier: 2.5", "retry-jitter-factor: 0.1", ""));
        RetrySettings fromFile = parse("--config", file.toString(), "--retry-max-backoff-ms", "700")
                .resilience().retry();
        assertThat(fromFile).isEqualTo(new RetrySettings(true, 4, Duration.ofMillis(20), Duration.ofMillis(700), 2.5,
                0.1));

        assertThat(parse("--prefill", "http://p:1", "--decode", "http://d:1", "--disable-retries")
                .resilience().retry().enabled()).isFalse();
        assertThat(parse("--prefill", "http://p:1", "--decode", "http://d:1", "--retry-max-retries", "0")
                .resilience().retry().maxAttempts()).as("one attempt at least, as SGLang's router").isEqualTo(1);
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--retry-jitter-factor", "2")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("jitter");
    }

    @Test
    void metricsListenerTakesSglangRoutersFlagsButOnlyWhenAsked() throws IOException {
        PrometheusSettings defaults = parse("--prefill", "http://p:1", "--decode", "http://d:1").prometheus();
        assertThat(defaults.separateMetricsListener()).as("/metrics on the main port only").isFalse();

        PrometheusSettings portOnly = parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--host", "10.0.0.5", "--prometheus-port", "9400").prometheus();
        assertThat(portOnly.separateMetricsListener()).isTrue();
        assertThat(portOnly.metricsHost("10.0.0.5")).as("the main host, not 0.0.0.0").isEqualTo("10.0.0.5");
        assertThat(portOnly.metricsPort()).isEqualTo(9400);

        Path file = dir.resolve("metrics.yaml");
        Files.writeString(file, String.join("\n",
                "prefill: [http://p:1]", "decode: [http://d:1]", "prometheus-host: 0.0.0.0", ""));
        PrometheusSettings hostOnly = parse("--config", file.toString()).prometheus();
        assertThat(hostOnly.metricsHost("127.0.0.1")).isEqualTo("0.0.0.0");
        assertThat(hostOnly.metricsPort()).as("SGLang's router's default").isEqualTo(29000);

        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--prometheus-port", "70000")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("--prometheus-port");
    }

    @Test
    void routingPolicyTuningFollowsSglangsRouterFlagsWithOurDefaults() throws IOException {
        RoutingSettings defaults = parse("--prefill", "http://p:1", "--decode", "http://d:1").routing();
        assertThat(defaults).isEqualTo(new RoutingSettings(new CacheAwareSettings(0.3, 64, 1.5, 1_048_576),
                Duration.ofSeconds(120), 256));

        Path file = dir.resolve("routing.yaml");
        Files.writeString(file, String.join("\n",
                "prefill: [http://p:1]", "decode: [http://d:1]", "prefill-policy: cache_aware",
                "decode-policy: power_of_two", "cache-threshold: 0.5", "balance-abs-threshold: 8",
                "balance-rel-threshold: 2.0", "eviction-interval: 30", "max-tree-size: 5000",
                "prefix-token-count: 64", "prefix-hash-load-factor: 2.0", ""));
        MiniLbConfig fromFile = parse("--config", file.toString(), "--max-tree-size", "7000");
        assertThat(fromFile.routing()).isEqualTo(new RoutingSettings(new CacheAwareSettings(0.5, 8, 2.0, 7000),
                Duration.ofSeconds(30), 64, 2.0));
        assertThat(fromFile.prefillPolicy()).isEqualTo("cache_aware");
        assertThat(fromFile.decodePolicy()).isEqualTo("power_of_two");

        MiniLbConfig fromFlags = parse("--prefill", "http://p:1", "--decode", "http://d:1", "--policy", "least_load",
                "--cache-threshold", "0.1", "--balance-abs-threshold", "4", "--balance-rel-threshold", "1.2",
                "--eviction-interval", "5", "--prefix-token-count", "16", "--prefix-hash-load-factor", "1.5");
        assertThat(fromFlags.routing()).isEqualTo(new RoutingSettings(new CacheAwareSettings(0.1, 4, 1.2, 1_048_576),
                Duration.ofSeconds(5), 16, 1.5));
        assertThat(defaults.prefixHashLoadFactor()).as("SGLang's router's").isEqualTo(1.25);
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--prefix-hash-load-factor", "0.5")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("--prefix-hash-load-factor");
    }

    @Test
    void invalidRoutingSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--cache-threshold", "1.5"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("cacheThreshold");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--eviction-interval", "0"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--eviction-interval");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--prefix-token-count",
                "0")).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--prefix-token-count");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--max-tree-size", "0"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("maxTreeSize");
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--max-connections", "0"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--max-connections");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--max-response-bytes", "-1"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--max-response-bytes");
    }

    @Test
    void aServerGivenTwiceIsRefused() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--decode", "http://d:1/"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("http://d:1 is given more");
        assertThatThrownBy(() -> parse("--prefill", "http://w:1", "--decode", "http://w:1"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("either --prefill or --decode");
    }

    @Test
    void unknownConfigKeysAreNamed() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "prefil:\n  - http://p:1\n");
        assertThatThrownBy(() -> parse("--config", file.toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("unknown key 'prefil'")
                .hasMessageContaining("prefill");
    }

    @Test
    void missingServersAreReported() {
        assertThatThrownBy(() -> parse("--decode", "http://d:1")).hasMessageContaining("no prefill server");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1")).hasMessageContaining("no decode server");
    }

    @Test
    void badPortAndUrlAreReported() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "abc", "--decode", "http://d:1"))
                .hasMessageContaining("'abc' is not a number");
        assertThatThrownBy(() -> parse("--prefill", "p:1", "--decode", "http://d:1"))
                .hasMessageContaining("http://");
    }

    @Test
    void badConfigurationExitsWithStatusTwoAndOneLine() {
        var err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--prefill", "http://p:1", "--decode", "http://d:1", "--policy", "fastest"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(message.lines()).hasSize(1);
        assertThat(message).contains("unknown policy 'fastest'").contains("cache_aware, consistent_hashing, "
                + "least_load, power_of_two, prefix_hash, random, round_robin");
    }

    @Test
    void aMistypedPolicyNamesTheFlagTypedAndSuggestsTheClosestName() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--policy", "roundrobin"))
                .hasMessageStartingWith("unknown policy 'roundrobin' for --policy; did you mean 'round_robin'?")
                .hasMessageContaining("known policies: " + String.join(", ", PolicyNames.known()));
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--decode-policy", "Round-Robin"))
                .hasMessageStartingWith("unknown policy 'Round-Robin' for --decode-policy; did you mean 'round_robin'?");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--prefill-policy", "randon"))
                .hasMessageStartingWith("unknown policy 'randon' for --prefill-policy; did you mean 'random'?");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--policy", "fastest"))
                .hasMessageStartingWith("unknown policy 'fastest' for --policy; known policies:");
    }

    @Test
    void aMistypedPolicyInTheConfigFileNamesItsKeyAndFile() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "prefill: [http://p:1]\ndecode: [http://d:1]\nprefill-policy: round-robin\n");
        assertThatThrownBy(() -> parse("--config", file.toString()))
                .hasMessageStartingWith("unknown policy 'round-robin' for 'prefill-policy' in --config " + file
                        + "; did you mean 'round_robin'?");
    }

    @Test
    void aYamlSyntaxErrorGivesItsLineAndColumn() throws IOException {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "prefill:\n  - http://p:1\ndecode: [http://d:1\nport: 9000\n");
        assertThatThrownBy(() -> parse("--config", file.toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("--config " + file + ": not valid YAML at line 4, column ")
                .satisfies(error -> assertThat(error.getMessage()).hasLineCount(1));
    }

    @Test
    void unknownFlagExitsWithStatusTwo() {
        var err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--prefil", "http://p:1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--prefil").hasLineCount(1);
    }

    @Test
    void helpListsEveryFlag() {
        var out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--prefill", "--decode", "--host", "--port",
                "--policy", "--prefill-policy", "--decode-policy", "--request-timeout-secs", "--max-payload-bytes",
                "--admin-timeout-secs", "--shutdown-grace-secs", "--config", "--version", "--max-response-bytes",
                "--max-buffered-bytes", "--max-connections", "--stream-buffer-bytes", "--request-read-timeout-secs",
                "--cb-failure-threshold", "--cb-success-threshold", "--cb-timeout-duration-secs",
                "--cb-window-duration-secs", "--disable-circuit-breaker", "--pd-disaggregation",
                "--worker-startup-timeout-secs", "--worker-startup-check-interval", "--max-payload-size",
                "--health-check-interval-secs", "--health-check-timeout-secs", "--health-failure-threshold",
                "--health-success-threshold", "--health-check-endpoint", "--disable-health-check",
                "--retry-max-retries", "--retry-initial-backoff-ms", "--retry-max-backoff-ms",
                "--retry-backoff-multiplier", "--retry-jitter-factor", "--disable-retries", "--prometheus-host",
                "--prometheus-port", "--cache-threshold", "--balance-abs-threshold", "--balance-rel-threshold",
                "--eviction-interval", "--max-tree-size", "--prefix-token-count", "--warm-up-secs", "power_of_two",
                "cache_aware");
    }

    @Test
    void observabilityDefaultsFollowSglangsRouter() {
        Observability observability = parse("--prefill", "http://p:1", "--decode", "http://d:1").observability();

        assertThat(observability).isEqualTo(Observability.defaults());
        assertThat(observability.requestIdHeaders())
                .containsExactly("x-request-id", "x-correlation-id", "x-trace-id", "request-id");
        assertThat(observability.accessLog()).isTrue();
        assertThat(observability.logJson()).isFalse();
        assertThat(observability.workerApiKey()).isEmpty();
    }

    @Test
    void observabilityFlagsTakeListsAndOverrideTheConfigFile() throws IOException {
        Path file = dir.resolve("observability.yaml");
        Files.writeString(file, String.join("\n",
                "prefill: [http://p:1]", "decode: [http://d:1]",
                "request-id-headers: [x-file-id]", "forward-headers: [x-tenant]", "worker-api-key: from-file",
                "disable-access-log: true", "log-json: true", "log-level: warn", ""));

        Observability fromFile = parse("--config", file.toString()).observability();
        Observability flags = parse("--config", file.toString(), "--request-id-headers", "x-a", "x-b",
                "--forward-headers", "x-c", "--worker-api-key", "from-flag", "--log-level", "DEBUG").observability();

        assertThat(fromFile).isEqualTo(new Observability(List.of("x-file-id"), List.of("x-tenant"),
                Optional.of("from-file"), false, true, Optional.of("warn")));
        assertThat(flags).isEqualTo(new Observability(List.of("x-a", "x-b"), List.of("x-c"),
                Optional.of("from-flag"), false, true, Optional.of("debug")));
    }

    @Test
    void anUnknownLogLevelIsRefused() {
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--log-level", "loud"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--log-level loud");
    }

    @Test
    void keysComeFromFlagsFilesOrTheConfigFileAndAreNeverShown() throws IOException {
        assertThat(parse("--prefill", "http://p:1", "--decode", "http://d:1").accessKeys()).isEqualTo(AccessKeys.none());

        Path adminKeyFile = dir.resolve("admin.key");
        Files.writeString(adminKeyFile, "admin-secret\n");
        MiniLbConfig config = parse("--prefill", "http://p:1", "--decode", "http://d:1", "--api-key", "client-secret",
                "--admin-api-key-file", adminKeyFile.toString());
        assertThat(config.accessKeys()).isEqualTo(
                new AccessKeys(Optional.of("client-secret"), Optional.of("admin-secret")));
        assertThat(config.toString()).doesNotContain("client-secret", "admin-secret");

        Path file = dir.resolve("keys.yaml");
        Files.writeString(file, String.join("\n", "prefill: [http://p:1]", "decode: [http://d:1]",
                "api-key-file: " + adminKeyFile, ""));
        assertThat(parse("--config", file.toString()).accessKeys().apiKey()).contains("admin-secret");

        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--api-key", "a",
                "--api-key-file", adminKeyFile.toString())).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--api-key-file", dir.resolve("missing.key").toString()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--api-key", "same",
                "--admin-api-key", "same")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("must differ").hasMessageNotContaining("same,");
    }

    @Test
    void admissionTakesSglangRoutersFlagsAndDefaults() throws IOException {
        assertThat(parse("--prefill", "http://p:1", "--decode", "http://d:1").admission())
                .isEqualTo(new AdmissionSettings(-1, 100, Duration.ofSeconds(60), 0));
        assertThat(parse("--prefill", "http://p:1", "--decode", "http://d:1", "--max-concurrent-requests", "8",
                "--queue-size", "16", "--queue-timeout-secs", "5", "--rate-limit-tokens-per-second", "20").admission())
                .isEqualTo(new AdmissionSettings(8, 16, Duration.ofSeconds(5), 20));

        Path file = dir.resolve("admission.yaml");
        Files.writeString(file, String.join("\n", "prefill: [http://p:1]", "decode: [http://d:1]",
                "max-concurrent-requests: 4", "queue-size: 0", "queue-timeout-secs: 9",
                "rate-limit-tokens-per-second: 3", ""));
        assertThat(parse("--config", file.toString(), "--queue-size", "2").admission())
                .isEqualTo(new AdmissionSettings(4, 2, Duration.ofSeconds(9), 3));

        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1", "--queue-size", "-1"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--queue-size");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--queue-timeout-secs", "0")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("--queue-timeout-secs");
        assertThatThrownBy(() -> parse("--prefill", "http://p:1", "--decode", "http://d:1",
                "--rate-limit-tokens-per-second", "-1")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("--rate-limit-tokens-per-second");
    }

    @Test
    void helpListsTheAccessAndAdmissionFlags() {
        var out = new ByteArrayOutputStream();
        Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--api-key", "--api-key-file", "--admin-api-key",
                "--admin-api-key-file", "--max-concurrent-requests", "--queue-size", "--queue-timeout-secs",
                "--rate-limit-tokens-per-second");
    }

    @Test
    void serviceDiscoveryTakesSglangRoutersFlagsAndStaticWorkersBecomeOptional() {
        MiniLbConfig config = parse("--service-discovery", "--prefill-selector", "app=sglang", "role=prefill",
                "--decode-selector", "app=sglang", "role=decode", "--service-discovery-namespace", "llm",
                "--service-discovery-port", "30000");
        DiscoverySettings settings = config.discovery().settings();
        assertThat(config.discovery().enabled()).isTrue();
        assertThat(config.prefills()).isEmpty();
        assertThat(settings.prefillSelector()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "sglang", "role", "prefill"));
        assertThat(settings.decodeSelector()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "sglang", "role", "decode"));
        assertThat(settings.namespace()).contains("llm");
        assertThat(settings.port()).isEqualTo(30000);
        assertThat(parse("--prefill", "http://p:1", "--decode", "http://d:1").discovery().enabled()).isFalse();
    }

    @Test
    void serviceDiscoveryComesFromTheConfigFileWithSglangsDefaultPort() throws IOException {
        Path file = dir.resolve("mini-lb.yaml");
        Files.writeString(file, String.join("\n",
                "service-discovery: true",
                "prefill-selector: [app=sglang, role=prefill]",
                "decode:",
                "  - http://d1:31000",
                ""));
        DiscoverySettings settings = parse("--config", file.toString()).discovery().settings();
        assertThat(settings.prefillSelector()).containsEntry("role", "prefill");
        assertThat(settings.decodeSelector()).isEmpty();
        assertThat(settings.port()).isEqualTo(80);
        assertThat(settings.namespace()).isEmpty();
    }

    @Test
    void serviceDiscoveryWithoutASelectorForAnEmptySideIsRefused() {
        assertThatThrownBy(() -> parse("--service-discovery", "--prefill-selector", "role=prefill"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--decode-selector");
        assertThatThrownBy(() -> parse("--service-discovery", "--prefill-selector", "role", "--decode-selector", "a=b"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse("--service-discovery", "--prefill-selector", "a=b", "--decode-selector", "a=c",
                "--service-discovery-port", "0"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--service-discovery-port");
    }

    @Test
    void aMistypedFlagIsNamedButTheWordsAfterItAreNotEchoed() {
        for (String[] args : List.of(
                new String[] {"--prefill", "http://p:1", "--decode", "http://d:1", "--api-kye", "s3cret-value"},
                new String[] {"--prefill", "http://p:1", "--decode", "http://d:1", "--api-kye=s3cret-value"})) {
            var err = new ByteArrayOutputStream();
            int status = Main.run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(Main.EXIT_BAD_CONFIGURATION);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("mini-lb: error: unknown option '--api-kye'; did you mean '--api-key'?")
                    .doesNotContain("s3cret");
        }
        var err = new ByteArrayOutputStream();
        Main.run(new String[] {"--prefill", "http://p:1", "--decode", "http://d:1", "s3cret-value"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected argument").doesNotContain("s3cret");
    }

    @Test
    void warmUpLastsTenSecondsUnlessToldOtherwiseByFlagOrFile() throws Exception {
        assertThat(command("--prefill", "http://p:1", "--decode", "http://d:1").warmUp())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(command("--prefill", "http://p:1", "--decode", "http://d:1", "--warm-up-secs", "0").warmUp())
                .isZero();
        Path file = dir.resolve("warm.yaml");
        Files.writeString(file, "prefill: [http://p:1]\ndecode: [http://d:1]\nwarm-up-secs: 3\n");
        assertThat(command("--config", file.toString()).warmUp()).isEqualTo(Duration.ofSeconds(3));
        assertThat(command("--config", file.toString(), "--warm-up-secs", "4").warmUp()).isEqualTo(Duration.ofSeconds(4));
        assertThatThrownBy(() -> command("--prefill", "http://p:1", "--decode", "http://d:1", "--warm-up-secs", "-1")
                .warmUp()).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("--warm-up-secs");
    }

    private static MiniLbConfig parse(String... args) {
        return command(args).toConfig();
    }

    private static MiniLbCommand command(String... args) {
        MiniLbCommand command = new MiniLbCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
