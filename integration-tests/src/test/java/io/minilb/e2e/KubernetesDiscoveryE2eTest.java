package io.minilb.e2e;

import static io.minilb.e2e.E2e.generate;
import static io.minilb.e2e.E2e.get;
import static io.minilb.e2e.E2e.post;
import static io.minilb.simulator.TestHttp.json;
import static io.minilb.simulator.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.minilb.adapters.in.kubernetes.DiscoverySettings;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.Discovery;
import io.minilb.bootstrap.config.Limits;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.Timeouts;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Service discovery against a Kubernetes API (fabric8's mock server, in CRUD mode: it stores pods and streams watch
 * events as an API server does, label selectors included). Pods point at simulators on 127.0.0.1, each at the port its
 * {@code smg.ai/worker-ports} annotation names; mini-lb's {@code /workers} and its routing follow the pods.
 */
class KubernetesDiscoveryE2eTest {

    private static final String NAMESPACE = "llm";
    private static final Map<String, String> PREFILL = Map.of("app", "sim", "role", "prefill");
    private static final Map<String, String> DECODE = Map.of("app", "sim", "role", "decode");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @RegisterExtension
    final StartedInTest started = new StartedInTest();

    private KubernetesMockServer api;
    private NamespacedKubernetesClient kubectl;

    @BeforeEach
    void startApiServer() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        kubectl = api.createClient();
    }

    @AfterEach
    void stopApiServer() {
        kubectl.close();
        api.destroy();
    }

    @Test
    void podsJoinWhenReadyAndLeaveWhenUnreadyRelabelledOrDeleted() {
        Simulator staticPrefill = started.start(SimulatorConfig.prefill());
        Simulator podPrefill = started.start(SimulatorConfig.prefill());
        Simulator first = started.start(SimulatorConfig.decode());
        Simulator second = started.start(SimulatorConfig.decode());
        MiniLb lb = startLb(staticPrefill);
        assertThat(get(lb.url() + "/readiness").statusCode()).as("no decode yet").isEqualTo(503);

        create(pod("decode-1", DECODE, first, false));
        create(pod("decode-2", DECODE, second, true));
        awaitServing(lb, second);
        // Level-triggered: decode-1 was in the cache when decode-2 was added, and it is not ready.
        assertThat(worker(lb, first)).isEmpty();

        setReady("decode-1", true);
        awaitServing(lb, first);
        assertThat(worker(lb, first).orElseThrow().get("origin").asText()).isEqualTo("discovery");
        assertThat(routedTo(lb, first, 4)).as("round robin reaches the new decode").isPositive();

        // Removed through the worker API, a discovered worker comes back at its pod's next event.
        String id = worker(lb, first).orElseThrow().get("id").asText();
        assertThat(send(HttpRequest.newBuilder(URI.create(lb.url() + "/workers/" + id)).DELETE().build()).statusCode())
                .isEqualTo(202);
        await().atMost(WAIT).until(() -> worker(lb, first).isEmpty());
        edit("decode-1", pod -> new PodBuilder(pod).editMetadata().addToAnnotations("touched", "yes").endMetadata()
                .build());
        awaitServing(lb, first);

        create(new PodBuilder(pod("prefill-1", PREFILL, podPrefill, true)).editMetadata()
                .addToAnnotations(DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, String.valueOf(podPrefill.bootstrapPort()))
                .endMetadata().build());
        awaitServing(lb, podPrefill);
        JsonNode prefill = worker(lb, podPrefill).orElseThrow();
        assertThat(prefill.get("worker_type").asText()).isEqualTo("prefill");
        assertThat(prefill.get("bootstrap_port").asInt()).isEqualTo(podPrefill.bootstrapPort());
        assertThat(worker(lb, staticPrefill).orElseThrow().get("origin").asText()).isEqualTo("configuration");
        assertThat(routedTo(lb, podPrefill, 4)).as("static and discovered prefills share the traffic").isPositive();

        edit("decode-2", pod -> new PodBuilder(pod).editMetadata().addToLabels("role", "retired").endMetadata().build());
        await().atMost(WAIT).until(() -> worker(lb, second).isEmpty());
        assertThat(routedTo(lb, second, 4)).as("a relabelled pod gets nothing").isZero();

        setReady("decode-1", false);
        await().atMost(WAIT).until(() -> worker(lb, first).isEmpty());
        assertThat(get(lb.url() + "/readiness").statusCode()).as("no decode left").isEqualTo(503);

        setReady("decode-1", true);
        awaitServing(lb, first);
        kubectl.pods().inNamespace(NAMESPACE).withName("decode-1").delete();
        await().atMost(WAIT).until(() -> worker(lb, first).isEmpty());
    }

    @Test
    void losingTheApiServerKeepsTheLastKnownWorkers() {
        Simulator prefill = started.start(SimulatorConfig.prefill());
        Simulator decode = started.start(SimulatorConfig.decode());
        MiniLb lb = startLb(prefill);
        create(pod("decode-1", DECODE, decode, true));
        awaitServing(lb, decode);

        api.destroy();

        // Long enough for the informers to see the watch closed and fail their first reconnects (after 1 and 2 s).
        await().during(OUTAGE).atMost(OUTAGE.plus(WAIT)).pollInterval(Duration.ofMillis(250)).until(() ->
                post(lb.url() + "/generate", generate("api server gone", 2)).statusCode() == 200
                        && worker(lb, decode).isPresent()
                        && get(lb.url() + "/readiness").statusCode() == 200);
    }

    private MiniLb startLb(Simulator staticPrefill) {
        Discovery discovery = Discovery.enabled(new DiscoverySettings(Optional.of(NAMESPACE),
                        DiscoverySettings.DEFAULT_PORT, PREFILL, DECODE))
                .withClientConfig(kubectl.getConfiguration());
        WorkerResilience resilience = WorkerResilience.defaults();
        return started.keep(MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                List.of(PrefillWorker.of(staticPrefill.url(), staticPrefill.bootstrapPort())), List.of(),
                "round_robin", "round_robin", Timeouts.withRequestTimeout(Duration.ofSeconds(60)), Limits.defaults(),
                resilience.withHealth(resilience.health(),
                        new HealthCheckSettings(true, Duration.ofSeconds(1), Duration.ofSeconds(5), "/health")),
                discovery)));
    }

    private static Pod pod(String name, Map<String, String> labels, Simulator sim, boolean ready) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels)
                .addToAnnotations(DiscoverySettings.WORKER_PORTS_ANNOTATION, String.valueOf(sim.port()))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("sglang-simulator").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    private void create(Pod pod) {
        kubectl.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    private void edit(String name, UnaryOperator<Pod> change) {
        kubectl.pods().inNamespace(NAMESPACE).withName(name).edit(change);
    }

    private void setReady(String name, boolean ready) {
        kubectl.pods().inNamespace(NAMESPACE).withName(name).editStatus(pod -> new PodBuilder(pod).editStatus()
                .editFirstCondition().withStatus(ready ? "True" : "False").endCondition().endStatus().build());
    }

    /** Listed and healthy: mini-lb's own health check passed too. */
    private static void awaitServing(MiniLb lb, Simulator sim) {
        await().atMost(WAIT).until(() -> worker(lb, sim).map(w -> w.get("is_healthy").asBoolean()).orElse(false));
    }

    private static Optional<JsonNode> worker(MiniLb lb, Simulator sim) {
        return StreamSupport.stream(json(get(lb.url() + "/workers")).get("workers").spliterator(), false)
                .filter(worker -> worker.get("url").asText().equals(sim.url())).findFirst();
    }

    /** Requests that reached {@code sim} out of {@code requests} sent, all answered 200. */
    private static long routedTo(MiniLb lb, Simulator sim, int requests) {
        long before = sim.state().requestCount("/generate");
        for (int i = 0; i < requests; i++) {
            assertThat(post(lb.url() + "/generate", generate("routed " + i, 2)).statusCode()).isEqualTo(200);
        }
        return sim.state().requestCount("/generate") - before;
    }
}
