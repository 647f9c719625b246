package io.minilb.bootstrap.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The YAML config file: the same keys as the flags, without the leading dashes. Prefill entries
 * are strings in the flag's form ({@code "http://p:30000 8998"}); decode entries are URLs.
 */
public final class ConfigFile {

    static final Set<String> KEYS = new TreeSet<>(Set.of(
            "host", "port", "prefill", "decode", "policy", "prefill-policy", "decode-policy",
            "request-timeout-secs", "request-read-timeout-secs", "max-payload-bytes", "max-payload-size",
            "max-response-bytes", "max-buffered-bytes", "max-connections", "stream-buffer-bytes",
            "admin-timeout-secs", "shutdown-grace-secs", "shutdown-grace-period-secs", "warm-up-secs",
            "cb-failure-threshold", "cb-success-threshold", "cb-timeout-duration-secs", "cb-window-duration-secs",
            "disable-circuit-breaker", "pd-disaggregation", "worker-startup-timeout-secs",
            "worker-startup-check-interval",
            "health-check-interval-secs", "health-check-timeout-secs", "health-failure-threshold",
            "health-success-threshold", "health-check-endpoint", "disable-health-check",
            "retry-max-retries", "retry-initial-backoff-ms", "retry-max-backoff-ms", "retry-backoff-multiplier",
            "retry-jitter-factor", "disable-retries",
            "request-id-headers", "forward-headers", "worker-api-key", "disable-access-log", "log-json",
            "log-level",
            "api-key", "api-key-file", "admin-api-key", "admin-api-key-file",
            "max-concurrent-requests", "queue-size", "queue-timeout-secs", "rate-limit-tokens-per-second",
            "prometheus-host", "prometheus-port",
            "cache-threshold", "balance-abs-threshold", "balance-rel-threshold", "eviction-interval",
            "max-tree-size", "prefix-token-count", "prefix-hash-load-factor",
            "service-discovery", "prefill-selector", "decode-selector", "service-discovery-namespace",
            "service-discovery-port"));

    private final Path path;
    private final JsonNode root;

    private ConfigFile(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    public static ConfigFile read(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new InvalidConfigurationException("--config " + path + ": no such file");
        } catch (MarkedYAMLException e) {
            throw new InvalidConfigurationException("--config " + path + ": not valid YAML " + syntaxError(e));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidConfigurationException("--config " + path + ": not valid YAML"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new InvalidConfigurationException("--config " + path + ": cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(path, JsonNodeFactory.instance.objectNode());
        }
        if (!root.isObject()) {
            throw new InvalidConfigurationException("--config " + path + ": the top level must be a mapping of keys");
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new InvalidConfigurationException(
                        "--config " + path + ": unknown key '" + key + "'; known keys: " + String.join(", ", KEYS));
            }
        });
        return new ConfigFile(path, root);
    }

    /**
     * Where the parser gave up and what it expected, e.g. {@code at line 4, column 5: expected ',' or ']', but got :
     * (while parsing a flow sequence at line 3, column 9)}. The parser's marks are more precise than Jackson's location, which
     * can point at the token before the problem.
     */
    private static String syntaxError(MarkedYAMLException e) {
        String context = e.getContext() == null || e.getContextMark() == null ? ""
                : " (" + e.getContext() + " " + at(e.getContextMark()) + ")";
        return at(e.getProblemMark()) + ": " + e.getProblem() + context;
    }

    private static String at(Mark mark) {
        return "at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** An empty file, for when no {@code --config} is given; without an {@code ObjectMapper}, slow to initialize. */
    public static ConfigFile none() {
        return new ConfigFile(Path.of("(none)"), JsonNodeFactory.instance.objectNode());
    }

    public Optional<String> text(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isValueNode()) {
            throw invalid(key, "must be a single value");
        }
        return Optional.of(node.asText());
    }

    public Optional<Long> number(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw invalid(key, "must be a whole number, got " + node);
        }
        return Optional.of(node.asLong());
    }

    /** A switch: {@code true} or {@code false}. */
    public Optional<Boolean> flag(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw invalid(key, "must be true or false, got " + node);
        }
        return Optional.of(node.booleanValue());
    }

    public List<String> list(String key) {
        JsonNode node = root.get(key);
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw invalid(key, "must be a list");
        }
        node.forEach(item -> {
            if (!item.isValueNode()) {
                throw invalid(key, "entries must be strings");
            }
            values.add(item.asText());
        });
        return values;
    }

    /** Where a key's value came from, for messages: e.g. {@code 'policy' in --config mini-lb.yaml}. */
    public String describe(String key) {
        return "'" + key + "' in --config " + path;
    }

    private InvalidConfigurationException invalid(String key, String problem) {
        return new InvalidConfigurationException("--config " + path + ": '" + key + "' " + problem);
    }
}
