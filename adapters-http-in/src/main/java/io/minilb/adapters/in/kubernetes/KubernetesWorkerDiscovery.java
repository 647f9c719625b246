package io.minilb.adapters.in.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.minilb.application.port.in.ManageWorkersUseCase;
import io.minilb.application.workers.AddWorkerResult;
import io.minilb.domain.Worker;
import io.minilb.domain.worker.WorkerRole;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.WorkerOrigin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes service discovery: pod events drive the worker use case, as calls to the worker API do. One informer per
 * role watches the pods its selector matches (filtered by the API server, so only those are cached); each event
 * reconciles the workers this discovery added with the workers the cached pods serve. A worker whose pod is deleted,
 * stops being ready or loses its labels is removed, and drains: its requests in flight finish. Static workers and
 * workers added through the API are never touched.
 *
 * <p>Losing the API server keeps the cache, hence the last known set of workers. fabric8's informer reconnects on its
 * own (after 1, 2, 4, 8, 16, then every 32 s: the client's watch reconnect interval doubled up to 2^5 times), lists
 * again and replays what changed meanwhile. Its default gives up when the first list fails; here it always retries
 * (but on a response it cannot read), so that mini-lb started before the API server is reachable still finds its
 * workers once it is.
 */
public final class KubernetesWorkerDiscovery implements AutoCloseable {

    /** Every cached pod is reconciled again this often: retries an add that found the URL still draining. */
    static final Duration RESYNC = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesWorkerDiscovery.class);

    private final KubernetesClient client;
    private final DiscoverySettings settings;
    private final ManageWorkersUseCase workers;
    private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
    private final Map<WorkerRole, SharedIndexInformer<Pod>> informerByRole = new HashMap<>();
    /** The workers this discovery added, by URL, with the id the registry gave each. */
    private final Map<String, Added> added = new HashMap<>();

    private record Added(String id, Worker worker) {
    }

    /** Takes ownership of {@code client}: {@link #close()} closes it. */
    public KubernetesWorkerDiscovery(KubernetesClient client, DiscoverySettings settings, ManageWorkersUseCase workers) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    /** Starts watching; returns at once. Workers are added as the first lists arrive. */
    public synchronized void start() {
        watch(WorkerRole.PREFILL, settings.prefillSelector());
        watch(WorkerRole.DECODE, settings.decodeSelector());
        LOG.info("service discovery watching pods in {}: prefill {}, decode {}, port {}",
                settings.namespace().map(ns -> "namespace " + ns).orElse("all namespaces"),
                settings.prefillSelector(), settings.decodeSelector(), settings.port());
    }

    private void watch(WorkerRole role, Map<String, String> selector) {
        if (selector.isEmpty()) {
            return;
        }
        FilterWatchListDeletable<Pod, PodList, PodResource> pods = settings.namespace()
                .<FilterWatchListDeletable<Pod, PodList, PodResource>>map(
                        ns -> client.pods().inNamespace(ns).withLabels(selector))
                .orElseGet(() -> client.pods().inAnyNamespace().withLabels(selector));
        SharedIndexInformer<Pod> informer = pods.runnableInformer(RESYNC.toMillis());
        informer.exceptionHandler((started, error) -> {
            boolean retry = !ExceptionHandler.isDeserializationException(error);
            LOG.warn("service discovery cannot watch {} pods ({}); {}", role.label(), rootCause(error),
                    retry ? "keeping the workers known so far, retrying with backoff" : "giving up on this watch");
            return retry;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                reconcile();
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                reconcile();
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                reconcile();
            }
        });
        informers.add(informer);
        informerByRole.put(role, informer);
        informer.start();
    }

    /** Level-triggered: whatever event came, the workers follow the whole cache, so a missed event cannot stick. */
    synchronized void reconcile() {
        Map<String, Worker> wanted = wantedWorkers();
        // Removed through the worker API meanwhile: no longer ours; added again once it has drained.
        added.values().removeIf(worker -> workers.find(worker.id()).map(LiveWorker::isDraining).orElse(true));
        added.entrySet().removeIf(entry -> {
            if (entry.getValue().worker().equals(wanted.get(entry.getKey()))) {
                return false;
            }
            workers.remove(entry.getValue().id());
            return true;
        });
        wanted.forEach((url, worker) -> {
            if (!added.containsKey(url)) {
                add(worker);
            }
        });
    }

    private void add(Worker worker) {
        AddWorkerResult result = workers.add(worker, WorkerOrigin.DISCOVERY);
        if (result instanceof AddWorkerResult.Added done) {
            added.put(worker.url(), new Added(done.worker().id(), worker));
        } else if (result instanceof AddWorkerResult.AlreadyRegistered) {
            LOG.debug("{} is registered already (configured, added through the API, or draining); "
                    + "checked again within {} s", worker.url(), RESYNC.toSeconds());
        } else if (result instanceof AddWorkerResult.RegistryFull full) {
            LOG.warn("discovered {} not added: the registry holds its limit of {} workers", worker.url(), full.limit());
        }
    }

    /** A pod that both selectors match is a prefill, as SGLang's router classifies it. */
    private Map<String, Worker> wantedWorkers() {
        Map<String, Worker> wanted = new LinkedHashMap<>();
        for (WorkerRole role : List.of(WorkerRole.PREFILL, WorkerRole.DECODE)) {
            SharedIndexInformer<Pod> informer = informerByRole.get(role);
            if (informer == null) {
                continue;
            }
            for (Pod pod : informer.getStore().list()) {
                if (role == WorkerRole.DECODE && PodWorkers.matches(pod, settings.prefillSelector())) {
                    continue;
                }
                PodWorkers.of(pod, role, settings).forEach(worker -> wanted.putIfAbsent(worker.url(), worker));
            }
        }
        return wanted;
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": "
                + root.getMessage();
    }

    /** Stops watching; the discovered workers stay registered (mini-lb is stopping). */
    @Override
    public synchronized void close() {
        informers.forEach(SharedIndexInformer::close);
        client.close();
    }
}
