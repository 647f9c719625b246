package io.minilb.simulator;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one simulated SGLang prefill or decode server until the process is stopped. */
@Command(name = "sglang-simulator", mixinStandardHelpOptions = true, sortOptions = false,
        version = "sglang-simulator 0.1.0",
        description = {
            "Simulates an SGLang server in prefill or decode disaggregation mode, for testing load balancers.",
            "A decode claims each request's bootstrap_room at bootstrap_host:bootstrap_port and answers once the "
                + "prefill holding that room has sent its KV; the prefill waits for that claim. Output is "
                + "deterministic in the prompt.",
            "",
            "Admin API, on the HTTP port, a prefill's bootstrap port and --admin-port:",
            "  GET  /_sim/state   requests, recent bodies, rooms, in-flight, cancelled, open connections, streams",
            "  GET  /_sim/faults  the faults in force",
            "  POST /_sim/faults  e.g. {\"error_status\": 503}; {\"hang\": null} clears",
            "  POST /_sim/reset   clear faults and history",
            "While --refuse-connections is in force the HTTP port is closed: clear it through the bootstrap or "
                + "admin port.",
            ""})
public final class SimulatorMain implements Callable<Integer> {

    @Option(names = "--mode", required = true, description = "${COMPLETION-CANDIDATES} (case-insensitive)")
    private Mode mode;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (0.0.0.0 in containers). Default: ${DEFAULT-VALUE}")
    private String host;

    @Option(names = "--port", defaultValue = "30000", description = "HTTP port. Default: ${DEFAULT-VALUE}")
    private int port;

    @Option(names = {"--bootstrap-port", "--disaggregation-bootstrap-port"}, defaultValue = "8998",
            description = "Prefill: its bootstrap server's port. Decode: the port used for a null bootstrap_port. Default: ${DEFAULT-VALUE}")
    private int bootstrapPort;

    @Option(names = "--admin-port", description = "Extra port serving only the admin API (none by default)")
    private Integer adminPort;

    @Option(names = {"--model", "--model-path"}, defaultValue = "sim-model", description = "Model name to report. Default: ${DEFAULT-VALUE}")
    private String model;

    @Option(names = "--prefill-ms-per-token", defaultValue = "0", description = "Prefill latency per prompt token. Default: ${DEFAULT-VALUE}")
    private double prefillMsPerToken;

    @Option(names = "--decode-ms-per-token", defaultValue = "0", description = "Decode latency per output token. Default: ${DEFAULT-VALUE}")
    private double decodeMsPerToken;

    @Option(names = "--prefix-cache-tokens", defaultValue = "0",
            description = "Prefill: tokens of prompt prefixes cached (LRU); a cached prefix costs no prefill time and "
                    + "shows as cached_tokens. 0 turns it off. Default: ${DEFAULT-VALUE}")
    private int prefixCacheTokens;

    @Option(names = "--decode-batch-size", defaultValue = "0",
            description = "Decode: concurrent requests at full speed; beyond it per-token latency grows in proportion. "
                    + "0 turns it off. Default: ${DEFAULT-VALUE}")
    private int decodeBatchSize;

    @Option(names = "--bootstrap-timeout-secs", defaultValue = "300", description = "Decode: how long to wait for the KV. Default: ${DEFAULT-VALUE}")
    private double bootstrapTimeoutSecs;

    @Option(names = "--waiting-timeout-secs", defaultValue = "300", description = "Prefill: how long to wait for the decode. Default: ${DEFAULT-VALUE}")
    private double waitingTimeoutSecs;

    @Option(names = "--context-length", defaultValue = "32768", description = "Reported max_model_len. Default: ${DEFAULT-VALUE}")
    private int contextLength;

    @Option(names = "--history-size", defaultValue = "1000", description = "Request bodies and rooms kept for /_sim/state. Default: ${DEFAULT-VALUE}")
    private int historySize;

    @Option(names = "--text", defaultValue = "tricky", description = "What the output spells: tricky (tokens with "
            + "[DONE], data:, quotes and multi-byte UTF-8, to test proxies) or prose (readable English, for demos). "
            + "Default: ${DEFAULT-VALUE}")
    private TextStyle textStyle;

    @Option(names = "--fail-status", description = "Fault: answer generation requests with this HTTP status")
    private Integer failStatus;

    @Option(names = "--hang", description = "Fault: accept generation requests and never answer")
    private boolean hang;

    @Option(names = "--slow-ms-per-token", defaultValue = "0", description = "Fault: extra latency per token")
    private double slowMsPerToken;

    @Option(names = "--drop-after-frames", description = "Fault: close a stream's connection after this many frames "
            + "(a non-streamed answer's instead of answering)")
    private Integer dropAfterFrames;

    @Option(names = "--fail-health", description = "Fault: /health and /health_generate answer 503")
    private boolean failHealth;

    @Option(names = "--refuse-connections", description = "Fault: start with the HTTP port closed")
    private boolean refuseConnections;

    public static void main(String[] args) {
        System.setProperty("logback.configurationFile", "sglang-simulator-logback.xml");
        System.exit(new CommandLine(new SimulatorMain())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((error, command, parsed) -> {
                    command.getErr().println("sglang-simulator: " + error.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Simulator simulator = Simulator.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "sglang-sim-shutdown"));
        new CountDownLatch(1).await(); // the IO threads are daemons: keep the JVM up until it is stopped
        return 0;
    }

    private SimulatorConfig config() {
        return SimulatorConfig.builder(mode)
                .host(host)
                .port(port)
                .bootstrapPort(bootstrapPort)
                .adminPort(adminPort)
                .modelName(model)
                .prefillMsPerToken(prefillMsPerToken)
                .decodeMsPerToken(decodeMsPerToken)
                .bootstrapTimeout(seconds(bootstrapTimeoutSecs))
                .waitingTimeout(seconds(waitingTimeoutSecs))
                .contextLength(contextLength)
                .historySize(historySize)
                .textStyle(textStyle)
                .prefixCacheTokens(prefixCacheTokens)
                .decodeBatchSize(decodeBatchSize)
                .faults(new Faults(failStatus, hang, slowMsPerToken, dropAfterFrames, failHealth, refuseConnections))
                .build();
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
