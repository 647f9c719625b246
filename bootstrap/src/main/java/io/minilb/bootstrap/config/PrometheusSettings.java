package io.minilb.bootstrap.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How mini-lb can be watched. {@code GET /metrics} is always served on the main port; with
 * {@code --prometheus-port} or {@code --prometheus-host} (SGLang's router's flags) it is also served by a listener of
 * its own.
 *
 * @param prometheusHost the metrics listener's address; empty for mini-lb's own {@code --host}
 * @param prometheusPort the metrics listener's port (0 picks a free one); empty for
 *     {@value #DEFAULT_PROMETHEUS_PORT} when only the host is given
 */
public record PrometheusSettings(Optional<String> prometheusHost, OptionalInt prometheusPort) {

    /** SGLang's router's default metrics port. */
    public static final int DEFAULT_PROMETHEUS_PORT = 29000;

    public PrometheusSettings {
        Objects.requireNonNull(prometheusHost, "prometheusHost");
        Objects.requireNonNull(prometheusPort, "prometheusPort");
        if (prometheusHost.isPresent() && prometheusHost.get().isBlank()) {
            throw new InvalidConfigurationException("--prometheus-host must not be empty");
        }
        prometheusPort.ifPresent(port -> {
            if (port < 0 || port > 65_535) {
                throw new InvalidConfigurationException("--prometheus-port " + port + " is outside 0-65535");
            }
        });
    }

    /** Metrics on the main port only. */
    public static PrometheusSettings defaults() {
        return new PrometheusSettings(Optional.empty(), OptionalInt.empty());
    }

    /** Whether {@code /metrics} also gets a listener of its own. */
    public boolean separateMetricsListener() {
        return prometheusHost.isPresent() || prometheusPort.isPresent();
    }

    public String metricsHost(String mainHost) {
        return prometheusHost.orElse(mainHost);
    }

    public int metricsPort() {
        return prometheusPort.orElse(DEFAULT_PROMETHEUS_PORT);
    }
}
