package io.minilb.containers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/** Makes the SGLang prefill and decode server containers of a topology: simulators, or real SGLang on GPUs. */
interface ServerFleet {

    /** The HTTP port of every server, as in SGLang's examples. */
    int HTTP_PORT = 30000;
    /** The prefills' KV bootstrap port: SGLang's default {@code --disaggregation-bootstrap-port}. */
    int BOOTSTRAP_PORT = 8998;

    /**
     * A prefill server reachable on {@code network} as {@code alias}.
     *
     * @param slot this server's index among all servers of the topology, to spread servers over GPUs
     */
    GenericContainer<?> prefill(Network network, String alias, int slot);

    /** A decode server reachable on {@code network} as {@code alias}. */
    GenericContainer<?> decode(Network network, String alias, int slot);

    /** The model name to put into OpenAI requests. */
    String model();

    /**
     * True for simulators: outputs are exactly {@code SimulatedModel}'s, latency can be injected, and each server
     * answers the admin endpoints {@code /_sim/*}. Tests assert shapes only when false.
     */
    boolean simulated();
}
