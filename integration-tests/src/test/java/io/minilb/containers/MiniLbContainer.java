package io.minilb.containers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * mini-lb from the project's image, on the topology's network, configured with the servers' network aliases
 * (so the {@code bootstrap_host} it sends is a name the decode containers resolve), round-robin on both sides so
 * that tests can predict how traffic spreads.
 */
final class MiniLbContainer extends GenericContainer<MiniLbContainer> {

    static final int PORT = 8080;
    static final int REQUEST_TIMEOUT_SECS = 120;

    MiniLbContainer(Network network, List<PdServer> prefills, List<PdServer> decodes) {
        super(ProjectImages.miniLb());
        withNetwork(network);
        withNetworkAliases("mini-lb");
        withExposedPorts(PORT);
        withCommand(arguments(prefills, decodes).toArray(String[]::new));
        // Ready once warmed up (--warm-up-secs, on by default): the suite measures no speed, but the image's
        // warm-up is exercised at every start this way.
        waitingFor(Wait.forHttp("/readiness").forPort(PORT).withStartupTimeout(Duration.ofMinutes(2)));
    }

    /**
     * Round robin without circuit breakers, health checks or retries: the suite stops, kills and faults servers on
     * purpose to see how each request fails, and every test starts from a clean history; open circuits, failed
     * checks or a retry on another pair would carry one test's faults into the next or hide the failure under test
     * (the end-to-end tests cover those mechanisms).
     */
    private static List<String> arguments(List<PdServer> prefills, List<PdServer> decodes) {
        List<String> arguments = new ArrayList<>(List.of(
                "--host", "0.0.0.0",
                "--port", String.valueOf(PORT),
                "--policy", "round_robin",
                "--request-timeout-secs", String.valueOf(REQUEST_TIMEOUT_SECS),
                "--admin-timeout-secs", "10",
                "--disable-circuit-breaker", "--disable-health-check", "--disable-retries"));
        prefills.forEach(prefill -> arguments.addAll(
                List.of("--prefill", prefill.url(), String.valueOf(ServerFleet.BOOTSTRAP_PORT))));
        decodes.forEach(decode -> arguments.addAll(List.of("--decode", decode.url())));
        return arguments;
    }

    /** Where mini-lb is published now; looked up afresh, since a restart may publish it on another host port. */
    URI baseUri() {
        InspectContainerResponse container = getDockerClient().inspectContainerCmd(getContainerId()).exec();
        Ports.Binding[] bindings = container.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(PORT));
        if (bindings == null || bindings.length == 0) {
            throw new IllegalStateException("mini-lb's port " + PORT + " is not published (container "
                    + container.getState().getStatus() + ")");
        }
        return URI.create("http://" + getHost() + ":" + bindings[0].getHostPortSpec());
    }

    MiniLbClient client() {
        return new MiniLbClient(this::baseUri);
    }

    /** {@code docker restart}: SIGTERM, then a new process in the same container; returns once it serves. */
    void restart() {
        getDockerClient().restartContainerCmd(getContainerId()).withTimeout(10).exec();
        MiniLbClient client = client();
        Awaitility.await("mini-lb serving /health after its restart").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> client.get("/health").status() == 200);
    }
}
