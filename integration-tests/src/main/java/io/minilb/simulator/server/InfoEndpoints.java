package io.minilb.simulator.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.Mode;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.http.Json;
import io.minilb.simulator.http.RequestBodies;
import io.minilb.simulator.http.Responses;
import io.minilb.simulator.state.SimulatorStats;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.TimeUnit;
import io.undertow.server.RoutingHandler;

/** SGLang's endpoints besides generation: health, server and model information, cache flush, abort. */
public final class InfoEndpoints {
    private static final String FLUSHED = "Cache flushed.\nPlease check backend logs for more details. "
            + "(When there are running or waiting requests, the operation will not be performed.)\n";

    private final Simulator simulator;
    private final SimulatorStats stats;
    private final long startedAt = System.currentTimeMillis() / 1000;

    public InfoEndpoints(Simulator simulator, SimulatorStats stats) {
        this.simulator = simulator;
        this.stats = stats;
    }

    void addTo(RoutingHandler routes) {
        HttpHandler flush = exchange -> Responses.text(exchange, 200, FLUSHED);
        routes.get("/health", this::health)
                .get("/health_generate", this::healthGenerate)
                .get("/get_server_info", exchange -> Responses.json(exchange, 200, serverInfo()))
                .get("/get_model_info", exchange -> Responses.json(exchange, 200, modelInfo()))
                .get("/v1/models", exchange -> Responses.json(exchange, 200, models()))
                .get("/flush_cache", flush)
                .post("/flush_cache", flush)
                .post("/abort_request", this::abort);
    }

    private void health(HttpServerExchange exchange) {
        Responses.empty(exchange, simulator.faults().healthFailing() ? 503 : 200);
    }

    /** SGLang generates one token to answer it: a server slowed by {@code slow_ms_per_token} answers that much later. */
    private void healthGenerate(HttpServerExchange exchange) {
        long delayMillis = Math.round(simulator.faults().slowMsPerToken());
        if (delayMillis <= 0) {
            health(exchange);
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(
                () -> health(exchange), delayMillis, TimeUnit.MILLISECONDS));
    }

    /** Acknowledged and recorded for tests; the simulator aborts nothing. */
    private void abort(HttpServerExchange exchange) {
        RequestBodies.readJson(exchange, (ex, body) -> {
            if (body != null) {
                stats.recordBody("POST", ex.getRequestPath(), body);
            }
            Responses.empty(ex, 200);
        });
    }

    private ObjectNode serverInfo() {
        SimulatorConfig config = simulator.config();
        ObjectNode info = Json.object()
                .put("model_path", config.modelName())
                .put("tokenizer_path", config.modelName())
                .put("served_model_name", config.modelName())
                .put("host", config.host())
                .put("port", simulator.port())
                .put("disaggregation_mode", config.mode().sglangName())
                .put("disaggregation_bootstrap_port", simulator.bootstrapPort())
                .put("disaggregation_transfer_backend", "simulated")
                .put("context_length", config.contextLength())
                .put("tp_size", 1)
                .put("dp_size", 1)
                .put("version", "sglang-simulator");
        ObjectNode state = info.putArray("internal_states").addObject().put("last_gen_throughput", throughput(config));
        state.putNull("avg_spec_accept_length");
        return info;
    }

    /** Tokens per second the latency model allows a decode stream; a prefill generates none. */
    private static double throughput(SimulatorConfig config) {
        return config.mode() == Mode.DECODE && config.decodeMsPerToken() > 0 ? 1000.0 / config.decodeMsPerToken() : 0.0;
    }

    private ObjectNode modelInfo() {
        String model = simulator.config().modelName();
        ObjectNode info = Json.object().put("model_path", model).put("tokenizer_path", model).put("is_generation", true);
        info.putNull("preferred_sampling_params");
        return info.put("weight_version", "default");
    }

    private ObjectNode models() {
        String model = simulator.config().modelName();
        ObjectNode list = Json.object().put("object", "list");
        ObjectNode card = list.putArray("data").addObject()
                .put("id", model)
                .put("object", "model")
                .put("created", startedAt)
                .put("owned_by", "sglang")
                .put("root", model);
        card.putNull("parent");
        card.put("max_model_len", simulator.config().contextLength());
        return list;
    }
}
