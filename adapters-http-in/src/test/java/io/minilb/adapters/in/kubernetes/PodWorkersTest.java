package io.minilb.adapters.in.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.WorkerRole;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PodWorkersTest {

    private static final Map<String, String> PREFILL = Map.of("app", "sglang", "component", "prefill");
    private static final Map<String, String> DECODE = Map.of("app", "sglang", "component", "decode");
    private static final DiscoverySettings SETTINGS = new DiscoverySettings(Optional.of("llm"), 30000, PREFILL, DECODE);

    @Test
    void aRunningReadyPodMatchingTheSelectorIsAWorkerAtItsIpAndTheDiscoveryPort() {
        assertThat(PodWorkers.of(pod(DECODE).build(), WorkerRole.DECODE, SETTINGS))
                .containsExactly(new DecodeWorker("http://10.0.0.7:30000"));
        assertThat(PodWorkers.of(pod(DECODE).build(), WorkerRole.PREFILL, SETTINGS)).isEmpty();
    }

    @Test
    void aPodIsNoWorkerUnlessRunningReadyWithAnIpAllLabelsAndNotTerminating() {
        assertThat(PodWorkers.of(pod(Map.of("component", "decode")).build(), WorkerRole.DECODE, SETTINGS))
                .as("one label of two").isEmpty();
        assertThat(PodWorkers.of(pod(DECODE).editStatus().withPhase("Pending").endStatus().build(),
                WorkerRole.DECODE, SETTINGS)).as("pending").isEmpty();
        assertThat(PodWorkers.of(pod(DECODE).editStatus().editFirstCondition().withStatus("False").endCondition()
                .endStatus().build(), WorkerRole.DECODE, SETTINGS)).as("not ready").isEmpty();
        assertThat(PodWorkers.of(pod(DECODE).editStatus().withPodIP(null).endStatus().build(),
                WorkerRole.DECODE, SETTINGS)).as("no IP yet").isEmpty();
        assertThat(PodWorkers.of(pod(DECODE).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .build(), WorkerRole.DECODE, SETTINGS)).as("terminating").isEmpty();
        DiscoverySettings noDecodeSelector = new DiscoverySettings(Optional.empty(), 30000, PREFILL, Map.of());
        assertThat(PodWorkers.of(pod(DECODE).build(), WorkerRole.DECODE, noDecodeSelector))
                .as("an empty selector matches nothing").isEmpty();
    }

    @Test
    void aPrefillsBootstrapPortComesFromItsAnnotation() {
        assertThat(PodWorkers.of(pod(PREFILL).editMetadata()
                        .addToAnnotations(DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, "8998").endMetadata().build(),
                WorkerRole.PREFILL, SETTINGS)).containsExactly(PrefillWorker.of("http://10.0.0.7:30000", 8998));
        assertThat(PodWorkers.of(pod(PREFILL).build(), WorkerRole.PREFILL, SETTINGS))
                .containsExactly(new PrefillWorker("http://10.0.0.7:30000", OptionalInt.empty()));
        assertThat(PodWorkers.of(pod(PREFILL).editMetadata()
                        .addToAnnotations(DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, "not-a-port").endMetadata().build(),
                WorkerRole.PREFILL, SETTINGS)).as("ignored: the prefill's default applies")
                .containsExactly(new PrefillWorker("http://10.0.0.7:30000", OptionalInt.empty()));
    }

    @Test
    void aPodListingItsWorkerPortsServesOneWorkerEachWithAlignedBootstrapPorts() {
        Pod pod = pod(PREFILL).editMetadata()
                .addToAnnotations(DiscoverySettings.WORKER_PORTS_ANNOTATION, "30000, 30001,30000")
                .addToAnnotations(DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, "8998,8999").endMetadata().build();
        assertThat(PodWorkers.of(pod, WorkerRole.PREFILL, SETTINGS)).containsExactly(
                PrefillWorker.of("http://10.0.0.7:30000", 8998), PrefillWorker.of("http://10.0.0.7:30001", 8999));

        Pod misaligned = pod(PREFILL).editMetadata()
                .addToAnnotations(DiscoverySettings.WORKER_PORTS_ANNOTATION, "30000,30001")
                .addToAnnotations(DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, "8998,8999,9000").endMetadata().build();
        assertThat(PodWorkers.of(misaligned, WorkerRole.PREFILL, SETTINGS))
                .extracting(worker -> ((PrefillWorker) worker).bootstrapPort()).containsOnly(OptionalInt.empty());
    }

    @Test
    void anIpv6PodIpIsBracketed() {
        assertThat(PodWorkers.of(pod(DECODE).editStatus().withPodIP("fd00::7").endStatus().build(),
                WorkerRole.DECODE, SETTINGS)).containsExactly(new DecodeWorker("http://[fd00::7]:30000"));
    }

    private static PodBuilder pod(Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata().withName("worker-0").withNamespace("llm").withLabels(labels).endMetadata()
                .withNewStatus().withPhase("Running").withPodIP("10.0.0.7")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus();
    }
}
