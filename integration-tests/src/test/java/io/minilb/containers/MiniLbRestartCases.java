package io.minilb.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The mini-lb container itself: its image's health check, and a restart. One prefill, one decode. */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MiniLbRestartCases {

    private static final String PROMPT = "Is anyone there after a restart";
    private static final int TOKENS = 6;

    private final SharedTopology sharedTopology = new SharedTopology(this::fleet, 1, 1);
    private PdTopology topology;

    @RegisterExtension
    final TopologyLogsOnFailure logsOnFailure = new TopologyLogsOnFailure(sharedTopology::running);

    abstract ServerFleet fleet();

    @BeforeEach
    void useTheTopology() {
        topology = sharedTopology.get();
    }

    @AfterAll
    void stopTopology() {
        sharedTopology.close();
    }

    @Test
    void projectImagesReportHealthyThroughTheirHealthChecks() {
        List<GenericContainer<?>> projectContainers = new ArrayList<>(List.of(topology.miniLb()));
        if (topology.simulated()) {
            topology.servers().forEach(server -> projectContainers.add(server.container()));
        }

        Awaitility.await("every project container healthy").atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> projectContainers.stream().allMatch(MiniLbRestartCases::healthy));
    }

    @Test
    void aRestartedMiniLbServesAgain() {
        assertGenerates();
        String startedBefore = startedAt(topology.miniLb());

        topology.miniLb().restart();

        assertThat(startedAt(topology.miniLb())).as("the container's start time").isNotEqualTo(startedBefore);
        assertThat(topology.client().get("/health").status()).isEqualTo(200);
        assertGenerates();
    }

    private void assertGenerates() {
        Reply reply = topology.client().post("/generate",
                TextEndpoint.GENERATE.request(topology.fleet().model(), PROMPT, TOKENS));
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        String text = TextEndpoint.GENERATE.text(reply.json());
        assertThat(text).isNotNull();
        if (topology.simulated()) {
            assertThat(text).isEqualTo(TextEndpoint.GENERATE.simulatedText(PROMPT, TOKENS));
        }
    }

    private static boolean healthy(GenericContainer<?> container) {
        var health = container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                .getState().getHealth();
        return health != null && "healthy".equals(health.getStatus());
    }

    private static String startedAt(GenericContainer<?> container) {
        return container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec()
                .getState().getStartedAt();
    }
}
