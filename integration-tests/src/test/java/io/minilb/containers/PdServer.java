package io.minilb.containers;

import java.net.URI;
import org.testcontainers.containers.GenericContainer;

/**
 * One SGLang server of a topology: its side ({@code prefill} or {@code decode}, as mini-lb's errors name it),
 * its number on that side, and its container.
 */
record PdServer(String side, int number, GenericContainer<?> container) {

    /** The network alias: {@code prefill-1}, {@code decode-2}... */
    String alias() {
        return side + "-" + number;
    }

    /** The URL mini-lb is configured with: the alias, resolved by Docker's DNS on the topology's network. */
    String url() {
        return "http://" + alias() + ":" + ServerFleet.HTTP_PORT;
    }

    /** The simulator admin API, through the published HTTP port. */
    SimulatorAdmin admin() {
        return new SimulatorAdmin(URI.create("http://" + container.getHost() + ":"
                + container.getMappedPort(ServerFleet.HTTP_PORT)));
    }

    /** {@code docker kill}: the server dies at once, as in a crash, with requests in flight left unanswered. */
    void kill() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public String toString() {
        return alias();
    }
}
