package io.minilb.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;

/**
 * N prefill and M decode servers and one mini-lb on a private Docker network, all started in parallel. Closing
 * it removes every container and the network: the suite runs without Testcontainers' reaper.
 */
final class PdTopology implements AutoCloseable {

    static final String PREFILL = "prefill";
    static final String DECODE = "decode";

    private final ServerFleet fleet;
    private final Network network;
    private final List<PdServer> prefills;
    private final List<PdServer> decodes;
    private final MiniLbContainer miniLb;

    private PdTopology(ServerFleet fleet, Network network, List<PdServer> prefills, List<PdServer> decodes) {
        this.fleet = fleet;
        this.network = network;
        this.prefills = prefills;
        this.decodes = decodes;
        this.miniLb = new MiniLbContainer(network, prefills, decodes);
    }

    static PdTopology start(ServerFleet fleet, int prefillCount, int decodeCount) {
        Network network = Network.newNetwork();
        List<PdServer> prefills = IntStream.rangeClosed(1, prefillCount)
                .mapToObj(i -> new PdServer(PREFILL, i, fleet.prefill(network, PREFILL + "-" + i, i - 1)))
                .toList();
        List<PdServer> decodes = IntStream.rangeClosed(1, decodeCount)
                .mapToObj(i -> new PdServer(DECODE, i, fleet.decode(network, DECODE + "-" + i, prefillCount + i - 1)))
                .toList();
        PdTopology topology = new PdTopology(fleet, network, prefills, decodes);
        try {
            Startables.deepStart(topology.containers()).join();
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    ServerFleet fleet() {
        return fleet;
    }

    boolean simulated() {
        return fleet.simulated();
    }

    List<PdServer> prefills() {
        return prefills;
    }

    List<PdServer> decodes() {
        return decodes;
    }

    List<PdServer> servers() {
        return Stream.concat(prefills.stream(), decodes.stream()).toList();
    }

    MiniLbContainer miniLb() {
        return miniLb;
    }

    MiniLbClient client() {
        return miniLb.client();
    }

    /** The last lines of every container's log, to explain a failure. */
    String logTails(int lines) {
        StringBuilder tails = new StringBuilder();
        containers().forEach(container -> tails.append("----- ").append(name(container)).append('\n')
                .append(tail(container, lines)));
        return tails.toString();
    }

    @Override
    public void close() {
        containers().parallelStream().forEach(GenericContainer::stop);
        network.close();
    }

    private List<GenericContainer<?>> containers() {
        List<GenericContainer<?>> containers = new ArrayList<>();
        servers().forEach(server -> containers.add(server.container()));
        containers.add(miniLb);
        return containers;
    }

    private String name(GenericContainer<?> container) {
        return container == miniLb ? "mini-lb" : servers().stream()
                .filter(server -> server.container() == container).findFirst().orElseThrow().alias();
    }

    private static String tail(GenericContainer<?> container, int lines) {
        if (container.getContainerId() == null) {
            return "(not started)\n";
        }
        try {
            List<String> all = container.getLogs().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (RuntimeException e) {
            return "(no logs: " + e.getMessage() + ")\n";
        }
    }
}
