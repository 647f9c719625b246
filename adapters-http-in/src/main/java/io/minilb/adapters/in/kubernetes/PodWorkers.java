package io.minilb.adapters.in.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.WorkerRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers a pod serves, as SGLang's router reads them: none unless the pod matches the role's selector, is not
 * terminating, has an IP, is {@code Running} and its {@code Ready} condition is {@code True}. mini-lb's own health
 * checks then decide when a worker gets traffic, as for a worker added through the API.
 */
final class PodWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

    private PodWorkers() {
    }

    static List<Worker> of(Pod pod, WorkerRole role, DiscoverySettings settings) {
        Map<String, String> selector = role == WorkerRole.PREFILL ? settings.prefillSelector() : settings.decodeSelector();
        if (!matches(pod, selector) || !servable(pod)) {
            return List.of();
        }
        String host = hostOf(pod.getStatus().getPodIP());
        List<Integer> ports = ports(pod, settings.port());
        List<OptionalInt> bootstrapPorts = role == WorkerRole.PREFILL
                ? bootstrapPorts(pod, ports.size())
                : List.of();
        List<Worker> workers = new ArrayList<>(ports.size());
        for (int i = 0; i < ports.size(); i++) {
            String url = "http://" + host + ":" + ports.get(i);
            workers.add(role == WorkerRole.PREFILL ? new PrefillWorker(url, bootstrapPorts.get(i)) : new DecodeWorker(url));
        }
        return workers;
    }

    /** An empty selector matches nothing: a role without one is not discovered. */
    static boolean matches(Pod pod, Map<String, String> selector) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    private static boolean servable(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
            return false;
        }
        String ip = pod.getStatus().getPodIP();
        List<PodCondition> conditions = pod.getStatus().getConditions();
        return ip != null && !ip.isEmpty() && "Running".equals(pod.getStatus().getPhase()) && conditions != null
                && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String hostOf(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }

    private static List<Integer> ports(Pod pod, int defaultPort) {
        return annotation(pod, DiscoverySettings.WORKER_PORTS_ANNOTATION)
                .map(value -> portList(pod, DiscoverySettings.WORKER_PORTS_ANNOTATION, value))
                .filter(list -> !list.isEmpty())
                .map(list -> list.stream().distinct().toList())
                .orElse(List.of(defaultPort));
    }

    /** One port for every worker of the pod, or one per worker port in the same order; anything else is ignored. */
    private static List<OptionalInt> bootstrapPorts(Pod pod, int workers) {
        List<Integer> ports = annotation(pod, DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION)
                .map(value -> portList(pod, DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, value)).orElse(List.of());
        if (ports.size() == 1 || (ports.size() == workers && workers > 0)) {
            return IntStream.range(0, workers)
                    .mapToObj(i -> OptionalInt.of(ports.get(ports.size() == 1 ? 0 : i))).toList();
        }
        if (!ports.isEmpty()) {
            LOG.warn("pod {}: {} names {} port(s) for {} worker(s); ignored: the prefill's default applies",
                    pod.getMetadata().getName(), DiscoverySettings.BOOTSTRAP_PORT_ANNOTATION, ports.size(), workers);
        }
        return Collections.nCopies(workers, OptionalInt.empty());
    }

    private static Optional<String> annotation(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(key));
    }

    /** Comma-separated ports in 1-65535; empty (with a warning) when any part is not one. */
    private static List<Integer> portList(Pod pod, String key, String value) {
        List<Integer> ports = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                int port = Integer.parseInt(part.trim());
                if (port < 1 || port > 65_535) {
                    throw new NumberFormatException();
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                LOG.warn("pod {}: annotation {}='{}' is not a list of ports; ignored", pod.getMetadata().getName(),
                        key, value);
                return List.of();
            }
        }
        return ports;
    }
}
