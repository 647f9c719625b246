package io.minilb.containers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/** SGLang simulators from the project's image: start in seconds, answer deterministically, expose {@code /_sim/*}. */
final class SimulatorFleet implements ServerFleet {

    static final String MODEL = "sim-model";

    @Override
    public GenericContainer<?> prefill(Network network, String alias, int slot) {
        return server(network, alias, List.of("--mode", "prefill", "--bootstrap-port", String.valueOf(BOOTSTRAP_PORT)));
    }

    @Override
    public GenericContainer<?> decode(Network network, String alias, int slot) {
        return server(network, alias, List.of("--mode", "decode"));
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public boolean simulated() {
        return true;
    }

    private static GenericContainer<?> server(Network network, String alias, List<String> modeArguments) {
        List<String> command = new ArrayList<>(modeArguments);
        command.addAll(List.of("--host", "0.0.0.0", "--port", String.valueOf(HTTP_PORT), "--model", MODEL));
        return new GenericContainer<>(ProjectImages.simulator())
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withExposedPorts(HTTP_PORT)
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forHttp("/health").forPort(HTTP_PORT).withStartupTimeout(Duration.ofMinutes(1)));
    }
}
