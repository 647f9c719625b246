package io.minilb.adapters.in.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.domain.MonotonicClock;
import io.minilb.domain.worker.CircuitBreakerSettings;
import io.minilb.domain.worker.HealthThresholds;
import io.minilb.domain.worker.WorkerRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard and the README name only metrics mini-lb exports, and cover all of its own. */
class DashboardAndReadmeTest {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "mini-lb-dashboard.json");
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern METRIC = Pattern.compile("\\b((?:mini_lb|jvm|process)_[a-zA-Z0-9_]+)");

    private final PrometheusMetrics metrics = new PrometheusMetrics(new WorkerRegistry(
            new CircuitBreakerSettings(true, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(5)),
            new HealthThresholds(1, 1), MonotonicClock.SYSTEM));

    @Test
    void theDashboardQueriesOnlyExportedSeriesAndShowsEveryMiniLbMetric() throws IOException {
        metrics.backendConnections(() -> 0, () -> 0);
        metrics.admission(() -> 0, () -> 0);
        Set<String> exported = exportedSampleNames();
        Set<String> used = new TreeSet<>();
        for (String expression : expressions(new ObjectMapper().readTree(DASHBOARD.toFile()))) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
        }

        assertThat(used).as("metric names in the dashboard's queries").isNotEmpty().isSubsetOf(exported);
        for (MetricSnapshot snapshot : ownSnapshots()) {
            assertThat(used).as("a panel for " + snapshot.getMetadata().getPrometheusName())
                    .containsAnyElementsOf(sampleNames(snapshot));
        }
    }

    @Test
    void theReadmeListsEveryMiniLbSeries() throws IOException {
        metrics.backendConnections(() -> 0, () -> 0);
        metrics.admission(() -> 0, () -> 0);
        String readme = Files.readString(README);
        List<MetricSnapshot> own = ownSnapshots();
        assertThat(own).hasSameSizeAs(MetricNames.ALL);
        for (MetricSnapshot snapshot : own) {
            String name = snapshot.getMetadata().getPrometheusName();
            // As a query names it: a counter with _total, a histogram by its family name.
            String listed = snapshot instanceof CounterSnapshot ? name + "_total" : name;
            assertThat(readme).as("the README's Metrics section").contains("| `" + listed + "` |");
        }
    }

    private List<MetricSnapshot> ownSnapshots() {
        List<MetricSnapshot> own = new ArrayList<>();
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getPrometheusName().startsWith(MetricNames.PREFIX)) {
                own.add(snapshot);
            }
        }
        return own;
    }

    private Set<String> exportedSampleNames() {
        Set<String> names = new TreeSet<>();
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            names.addAll(sampleNames(snapshot));
        }
        return names;
    }

    /** The names its samples are exposed under in the text format. */
    private static List<String> sampleNames(MetricSnapshot snapshot) {
        String name = snapshot.getMetadata().getPrometheusName();
        if (snapshot instanceof CounterSnapshot) {
            return List.of(name + "_total");
        }
        if (snapshot instanceof HistogramSnapshot) {
            return List.of(name + "_bucket", name + "_sum", name + "_count");
        }
        if (snapshot instanceof SummarySnapshot) {
            return List.of(name, name + "_sum", name + "_count");
        }
        if (snapshot instanceof InfoSnapshot) {
            return List.of(name + "_info");
        }
        return List.of(name);
    }

    /** Every PromQL expression: the panels' targets and the template variables' queries. */
    private static List<String> expressions(JsonNode node) {
        List<String> found = new ArrayList<>();
        node.findValues("expr").forEach(expr -> found.add(expr.asText()));
        node.findValues("definition").forEach(definition -> found.add(definition.asText()));
        return found;
    }
}
