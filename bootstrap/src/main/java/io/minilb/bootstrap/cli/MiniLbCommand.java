package io.minilb.bootstrap.cli;

import io.minilb.bootstrap.config.ConfigFile;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerSpecs;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    @Option(names = "--max-payload-bytes", paramLabel = "BYTES",
            description = "Largest request body accepted; larger ones get 413 (default: 268435456).")
    Long maxPayloadBytes;

    @Option(names = "--admin-timeout-secs", paramLabel = "SECONDS",
            description = "Bound on each admin call to a server: health, flush, info (default: 30).")
    Long adminTimeoutSecs;

    @Option(names = "--shutdown-grace-secs", paramLabel = "SECONDS",
            description = "On stop, how long in-flight generations may finish (default: 30).")
    Long shutdownGraceSecs;

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
                seconds(requestTimeoutSecs, file, "request-timeout-secs", MiniLbConfig.DEFAULT_REQUEST_TIMEOUT),
                first(prefillPolicy, file.text("prefill-policy")).orElse(sharedPolicy),
                first(decodePolicy, file.text("decode-policy")).orElse(sharedPolicy),
                first(maxPayloadBytes, file.number("max-payload-bytes")).orElse(MiniLbConfig.DEFAULT_MAX_PAYLOAD_BYTES),
                seconds(adminTimeoutSecs, file, "admin-timeout-secs", MiniLbConfig.DEFAULT_ADMIN_TIMEOUT),
                seconds(shutdownGraceSecs, file, "shutdown-grace-secs", MiniLbConfig.DEFAULT_SHUTDOWN_GRACE));
    }

    private static int port(long value) {
        if (value < 0 || value > 65_535) {
            throw new InvalidConfigurationException("--port " + value + " is outside 0-65535");
        }
        return (int) value;
    }

    private static Duration seconds(Long flag, ConfigFile file, String key, Duration fallback) {
        return first(flag, file.number(key)).map(Duration::ofSeconds).orElse(fallback);
    }

    private static <T> Optional<T> first(T flag, Optional<T> fromFile) {
        return flag != null ? Optional.of(flag) : fromFile;
    }
}
