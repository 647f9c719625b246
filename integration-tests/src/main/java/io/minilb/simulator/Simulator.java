package io.minilb.simulator;

import io.minilb.simulator.generation.DecodeLeg;
import io.minilb.simulator.generation.GenerationRequestParser;
import io.minilb.simulator.generation.Leg;
import io.minilb.simulator.generation.PrefillLeg;
import io.minilb.simulator.http.HttpListener;
import io.minilb.simulator.rendezvous.BootstrapClient;
import io.minilb.simulator.rendezvous.RoomRegistry;
import io.minilb.simulator.server.AdminEndpoints;
import io.minilb.simulator.server.BootstrapEndpoint;
import io.minilb.simulator.server.GenerationEndpoint;
import io.minilb.simulator.server.InfoEndpoints;
import io.minilb.simulator.server.Routes;
import io.minilb.simulator.state.FaultSwitch;
import io.minilb.simulator.state.SimulatorStats;
import io.undertow.Undertow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A simulated SGLang server in prefill or decode disaggregation mode, for testing a load balancer in front of a
 * pair of them without GPUs.
 *
 * <p>Ports: the HTTP port serves SGLang's API ({@code /generate}, {@code /v1/chat/completions},
 * {@code /v1/completions}, {@code /health}, {@code /health_generate}, {@code /get_server_info},
 * {@code /get_model_info}, {@code /v1/models}, {@code /flush_cache}, {@code /abort_request}) and the admin API
 * ({@code /_sim/state}, {@code /_sim/faults}, {@code /_sim/reset}). A prefill also runs its bootstrap server,
 * which serves the room rendezvous and the admin API again; an optional admin port serves the admin API alone.
 * While the HTTP port refuses connections (a fault), reach the admin API through those or through this class.
 *
 * <p>Rendezvous: both servers receive the same request. The decode claims the request's {@code bootstrap_room}
 * at {@code bootstrap_host:bootstrap_port} and produces output only once the prefill holding that room has
 * computed the prompt and "sent the KV"; the prefill waits for that claim before computing. Either side gives up
 * after its timeout. All of it is asynchronous: no thread waits for a request.
 *
 * <p>Output is a pure function of the prompt (see {@link SimulatedModel}), so tests can assert exact texts.
 */
public final class Simulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    private final SimulatorConfig config;
    private final XnioWorker worker;
    private final SimulatorStats stats;
    private final FaultSwitch faults;
    private final HttpListener http;
    private final HttpListener bootstrap;
    private final HttpListener admin;
    private final BootstrapClient bootstrapClient;

    private Simulator(SimulatorConfig config, XnioWorker worker) {
        this.config = config;
        this.worker = worker;
        this.stats = new SimulatorStats(config.historySize());
        this.faults = new FaultSwitch(this::refuseConnections);
        AdminEndpoints adminEndpoints = new AdminEndpoints(this);
        Leg leg;
        if (config.mode() == Mode.PREFILL) {
            RoomRegistry rooms = new RoomRegistry();
            leg = new PrefillLeg(rooms, config);
            bootstrap = new HttpListener(worker, config.host(), config.bootstrapPort(),
                    Routes.bootstrap(new BootstrapEndpoint(rooms, stats), adminEndpoints));
            bootstrapClient = null;
        } else {
            bootstrapClient = new BootstrapClient(config.bootstrapTimeout());
            leg = new DecodeLeg(bootstrapClient, config);
            bootstrap = null;
        }
        GenerationEndpoint generation = new GenerationEndpoint(new GenerationRequestParser(config.modelName()), leg, stats, faults);
        http = new HttpListener(worker, config.host(), config.port(),
                Routes.api(new InfoEndpoints(this, stats), generation, adminEndpoints, stats));
        admin = config.adminPort() == null ? null
                : new HttpListener(worker, config.host(), config.adminPort(), Routes.admin(adminEndpoints));
    }

    /** Starts listening; returns once every port accepts connections (or refuses them, if so configured). */
    public static Simulator start(SimulatorConfig config) {
        Simulator simulator = new Simulator(Objects.requireNonNull(config, "config"), createWorker(config.mode()));
        try {
            simulator.listeners().forEach(HttpListener::start);
            simulator.faults.update(none -> config.faults());
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        LOG.info("SGLang simulator ({}) serving {}{}", config.mode().sglangName(), simulator.url(),
                config.mode() == Mode.PREFILL ? ", bootstrap port " + simulator.bootstrapPort() : "");
        return simulator;
    }

    /** IO threads only: nothing here blocks, so no worker task threads are needed. Daemons, not to pin the JVM. */
    private static XnioWorker createWorker(Mode mode) {
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, Math.max(2, Runtime.getRuntime().availableProcessors()))
                    .set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 1)
                    .set(Options.THREAD_DAEMON, true)
                    .set(Options.WORKER_NAME, "sglang-sim-" + mode.sglangName())
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the IO worker", e);
        }
    }

    public SimulatorConfig config() {
        return config;
    }

    public Mode mode() {
        return config.mode();
    }

    /** The HTTP port (the actual one when configured as 0). */
    public int port() {
        return http.port();
    }

    /** Prefill: its bootstrap server's port. Decode: the port it assumes for a null {@code bootstrap_port}. */
    public int bootstrapPort() {
        return bootstrap != null ? bootstrap.port() : config.bootstrapPort();
    }

    public OptionalInt adminPort() {
        return admin != null ? OptionalInt.of(admin.port()) : OptionalInt.empty();
    }

    /** The host part of {@link #url()}: loopback for a wildcard bind, IPv6 literals in brackets. */
    public String urlHost() {
        return switch (config.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> config.host().contains(":") && !config.host().startsWith("[") ? "[" + config.host() + "]" : config.host();
        };
    }

    /** E.g. {@code http://127.0.0.1:30000}. */
    public String url() {
        return "http://" + urlHost() + ":" + port();
    }

    public SimulatorState state() {
        return stats.snapshot(config.mode(), faults.current(), http.openConnections());
    }

    public Faults faults() {
        return faults.current();
    }

    public void setFaults(Faults next) {
        faults.update(current -> next);
    }

    /** Changes the faults atomically, e.g. {@code updateFaults(f -> f.withHang(true))}; returns the new ones. */
    public Faults updateFaults(UnaryOperator<Faults> change) {
        return faults.update(change);
    }

    /** Clears faults, recorded requests, rooms and counters; requests in flight carry on. */
    public void reset() {
        faults.update(current -> Faults.NONE);
        stats.reset();
    }

    private void refuseConnections(boolean refuse) {
        if (refuse) {
            http.stop();
        } else {
            http.start();
        }
    }

    private List<HttpListener> listeners() {
        return Stream.of(http, bootstrap, admin).filter(Objects::nonNull).toList();
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        listeners().forEach(HttpListener::stop);
        if (bootstrapClient != null) {
            bootstrapClient.close();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
