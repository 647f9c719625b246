package io.minilb.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How to run one simulated SGLang server. Build one with {@link #prefill()} or {@link #decode()}; the builder's
 * defaults suit in-process tests (loopback, ephemeral ports), the CLI's mirror SGLang's.
 *
 * @param mode              prefill or decode
 * @param host              address the HTTP (and bootstrap, admin) listeners bind, e.g. {@code 0.0.0.0} in a container
 * @param port              HTTP port; 0 picks a free one
 * @param bootstrapPort     prefill: port of its bootstrap server (0 picks a free one; SGLang's default is
 *                          {@value #SGLANG_BOOTSTRAP_PORT}). Decode: the port it contacts when a request's
 *                          {@code bootstrap_port} is null, as SGLang substitutes its own {@code
 *                          --disaggregation-bootstrap-port}
 * @param adminPort         when non-null, an extra listener serving only {@code /_sim/*} (0 picks a free one); it
 *                          stays up while the HTTP port refuses connections
 * @param modelName         reported as {@code model_path}, in {@code /v1/models} and OpenAI responses
 * @param prefillMsPerToken prefill latency per prompt token, once the decode has claimed the room
 * @param decodeMsPerToken  decode latency per output token after the first (which comes with the KV)
 * @param bootstrapTimeout  how long a decode waits for the prefill holding its room to send the KV
 * @param waitingTimeout    how long a prefill waits for the decode to claim its room
 * @param contextLength     reported as {@code max_model_len}
 * @param historySize       how many request bodies and rooms per {@link RoomEvent} the admin state keeps
 * @param faults            faults active from the start
 * @param textStyle         what the output spells: {@link TextStyle#TRICKY} (the default) for tests, {@link
 *                          TextStyle#PROSE} for demonstrations
 * @param prefixCacheTokens prefill: tokens its prefix cache holds (LRU, in pages of 16); a cached prefix costs no
 *                          prefill time and is reported as {@code cached_tokens}. 0 (the default) turns it off
 * @param decodeBatchSize   decode: concurrent requests decoded at {@code decodeMsPerToken}; beyond it the per-token
 *                          latency grows in proportion. 0 (the default) turns it off
 */
public record SimulatorConfig(
        Mode mode,
        String host,
        int port,
        int bootstrapPort,
        Integer adminPort,
        String modelName,
        double prefillMsPerToken,
        double decodeMsPerToken,
        Duration bootstrapTimeout,
        Duration waitingTimeout,
        int contextLength,
        int historySize,
        Faults faults,
        TextStyle textStyle,
        int prefixCacheTokens,
        int decodeBatchSize) {

    /** SGLang's default {@code --disaggregation-bootstrap-port}. */
    public static final int SGLANG_BOOTSTRAP_PORT = 8998;
    /** SGLang's default bootstrap and waiting timeouts. */
    public static final Duration SGLANG_RENDEZVOUS_TIMEOUT = Duration.ofSeconds(300);

    public SimulatorConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(bootstrapTimeout, "bootstrapTimeout");
        Objects.requireNonNull(waitingTimeout, "waitingTimeout");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(textStyle, "textStyle");
        requirePort(port, "port");
        requirePort(bootstrapPort, "bootstrap port");
        if (adminPort != null) {
            requirePort(adminPort, "admin port");
        }
        if (prefillMsPerToken < 0 || decodeMsPerToken < 0) {
            throw new IllegalArgumentException("latencies must be >= 0");
        }
        if (bootstrapTimeout.isNegative() || bootstrapTimeout.isZero()
                || waitingTimeout.isNegative() || waitingTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (prefixCacheTokens < 0 || decodeBatchSize < 0) {
            throw new IllegalArgumentException("prefix cache size and decode batch size must be >= 0");
        }
        if (contextLength <= 0 || historySize <= 0) {
            throw new IllegalArgumentException("context length and history size must be positive");
        }
    }

    private static void requirePort(int port, String what) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " out of range: " + port);
        }
    }

    /** A prefill on ephemeral HTTP and bootstrap ports. */
    public static Builder prefill() {
        return new Builder(Mode.PREFILL).bootstrapPort(0);
    }

    /** A decode on an ephemeral HTTP port, assuming {@value #SGLANG_BOOTSTRAP_PORT} for a null {@code bootstrap_port}. */
    public static Builder decode() {
        return new Builder(Mode.DECODE).bootstrapPort(SGLANG_BOOTSTRAP_PORT);
    }

    public static Builder builder(Mode mode) {
        return mode == Mode.PREFILL ? prefill() : decode();
    }

    public static final class Builder {
        private final Mode mode;
        private String host = "127.0.0.1";
        private int port;
        private int bootstrapPort;
        private Integer adminPort;
        private String modelName = "sim-model";
        private double prefillMsPerToken;
        private double decodeMsPerToken;
        private Duration bootstrapTimeout = SGLANG_RENDEZVOUS_TIMEOUT;
        private Duration waitingTimeout = SGLANG_RENDEZVOUS_TIMEOUT;
        private int contextLength = 32_768;
        private int historySize = 1_000;
        private Faults faults = Faults.NONE;
        private TextStyle textStyle = TextStyle.TRICKY;
        private int prefixCacheTokens;
        private int decodeBatchSize;

        private Builder(Mode mode) {
            this.mode = mode;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bootstrapPort(int bootstrapPort) {
            this.bootstrapPort = bootstrapPort;
            return this;
        }

        public Builder adminPort(Integer adminPort) {
            this.adminPort = adminPort;
            return this;
        }

        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        public Builder prefillMsPerToken(double ms) {
            this.prefillMsPerToken = ms;
            return this;
        }

        public Builder decodeMsPerToken(double ms) {
            this.decodeMsPerToken = ms;
            return this;
        }

        public Builder bootstrapTimeout(Duration timeout) {
            this.bootstrapTimeout = timeout;
            return this;
        }

        public Builder waitingTimeout(Duration timeout) {
            this.waitingTimeout = timeout;
            return this;
        }

        public Builder contextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        public Builder historySize(int historySize) {
            this.historySize = historySize;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = faults;
            return this;
        }

        public Builder textStyle(TextStyle textStyle) {
            this.textStyle = textStyle;
            return this;
        }

        public Builder prefixCacheTokens(int tokens) {
            this.prefixCacheTokens = tokens;
            return this;
        }

        public Builder decodeBatchSize(int size) {
            this.decodeBatchSize = size;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(mode, host, port, bootstrapPort, adminPort, modelName, prefillMsPerToken,
                    decodeMsPerToken, bootstrapTimeout, waitingTimeout, contextLength, historySize, faults, textStyle,
                    prefixCacheTokens, decodeBatchSize);
        }

        /** Builds and starts the simulator. */
        public Simulator start() {
            return Simulator.start(build());
        }
    }
}
