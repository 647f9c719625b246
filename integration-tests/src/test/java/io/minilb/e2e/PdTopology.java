package io.minilb.e2e;

import static org.awaitility.Awaitility.await;

import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.SimulatorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Two prefill and two decode simulators on loopback with an embedded mini-lb (round_robin on both sides) in
 * front of them. Extra mini-lb instances over the same simulators (other timeouts, payload limits) can be started
 * with {@link #startLb}; all are closed with the topology.
 */
final class PdTopology implements AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    final List<Simulator> prefills = new ArrayList<>();
    final List<Simulator> decodes = new ArrayList<>();
    private final List<MiniLb> lbs = new ArrayList<>();
    final MiniLb lb;

    private PdTopology() {
        try {
            for (int i = 0; i < 2; i++) {
                prefills.add(SimulatorConfig.prefill().start());
                decodes.add(SimulatorConfig.decode().start());
            }
            lb = startLb(config -> config);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static PdTopology start() {
        return new PdTopology();
    }

    /**
     * The default config for these simulators: port 0, 60 s request timeout, round_robin, no circuit breaker, no
     * health checks, no retries. The tests over this topology make every server fail on purpose to check how one
     * request fails, and each test starts from a clean history: open circuits or failed checks would carry one test's
     * failures into the next, and a retry would send the request to a server the test did not mean it for.
     * {@link WorkerFailoverE2eTest} covers the breaker, {@link HealthChecksE2eTest} the health checks,
     * {@link RetryE2eTest} the retries.
     */
    MiniLbConfig config(Duration requestTimeout) {
        return new MiniLbConfig("127.0.0.1", 0,
                prefills.stream().map(p -> PrefillWorker.of(p.url(), p.bootstrapPort())).toList(),
                decodes.stream().map(d -> new DecodeWorker(d.url())).toList(),
                requestTimeout).withPolicy("round_robin")
                .withResilience(WorkerResilience.defaults().withCircuitBreakerDisabled().withHealthChecksDisabled()
                        .withRetriesDisabled());
    }

    MiniLb startLb(UnaryOperator<MiniLbConfig> customize) {
        MiniLb started = MiniLb.start(customize.apply(config(DEFAULT_TIMEOUT)));
        lbs.add(started);
        return started;
    }

    String url(String path) {
        return lb.url() + path;
    }

    List<Simulator> all() {
        return Stream.concat(prefills.stream(), decodes.stream()).toList();
    }

    /** Waits for earlier tests' requests to end, then clears faults, counters and rooms. */
    void reset() {
        all().forEach(sim -> sim.setFaults(io.minilb.simulator.Faults.NONE));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> all().stream().allMatch(sim -> sim.state().inFlightRequests() == 0));
        all().forEach(Simulator::reset);
    }

    long count(List<Simulator> sims, String path) {
        return sims.stream().mapToLong(sim -> sim.state().requestCount(path)).sum();
    }

    static List<Long> rooms(List<Simulator> sims, RoomEvent event) {
        return sims.stream().map(Simulator::state).flatMap(s -> s.rooms(event).stream()).toList();
    }

    static long cancelled(List<Simulator> sims) {
        return sims.stream().map(Simulator::state).mapToLong(SimulatorState::cancelledRequests).sum();
    }

    @Override
    public void close() {
        lbs.forEach(MiniLb::close);
        all().forEach(Simulator::close);
    }
}
