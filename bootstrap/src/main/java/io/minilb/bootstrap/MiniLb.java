package io.minilb.bootstrap;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.spi.Message;
import io.minilb.adapters.in.http.MetricsListener;
import io.minilb.adapters.in.http.MiniLbHttpServer;
import io.minilb.adapters.in.http.metrics.PrometheusMetrics;
import io.minilb.adapters.in.kubernetes.KubernetesWorkerDiscovery;
import io.minilb.adapters.out.http.BackendHttpClients;
import io.minilb.application.health.HealthCheckRounds;
import io.minilb.application.health.HealthCheckSettings;
import io.minilb.application.lifecycle.ServingState;
import io.minilb.bootstrap.config.InvalidConfigurationException;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.PrometheusSettings;
import io.minilb.bootstrap.wiring.MiniLbModule;
import io.minilb.domain.PrefillWorker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running mini-lb: the embedding API.
 *
 * <pre>{@code
 * try (MiniLb lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0, prefills, decodes, Duration.ofMinutes(30)))) {
 *     URI base = URI.create(lb.url());
 * }
 * }</pre>
 */
public final class MiniLb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MiniLb.class);
    private static final Duration FATAL_ERROR_CHECK_PERIOD = Duration.ofSeconds(1);
    /** Beyond the check timeout, for the checks' callbacks on a loaded machine. */
    private static final Duration FIRST_ROUND_MARGIN = Duration.ofSeconds(5);

    private final MiniLbConfig config;
    private final MiniLbHttpServer server;
    private final CloseableHttpAsyncClient backendClient;
    private final ServingState state;
    private final FatalErrorWatch fatalErrors;
    private final HealthCheckRounds healthChecks;
    private final MetricsListener metricsListener;
    private final Optional<KubernetesWorkerDiscovery> discovery;
    /** False for {@link WarmUp}'s private instance, which says nothing of its start and stop. */
    private final boolean announced;
    private WarmUp warmUp;

    private MiniLb(MiniLbConfig config, Injector injector, Consumer<String> onFatal, boolean announced) {
        this.config = config;
        this.announced = announced;
        this.server = injector.getInstance(MiniLbHttpServer.class);
        this.backendClient = injector.getInstance(CloseableHttpAsyncClient.class);
        this.state = injector.getInstance(ServingState.class);
        this.healthChecks = injector.getInstance(HealthCheckRounds.class);
        PrometheusSettings prometheus = config.prometheus();
        this.metricsListener = prometheus.separateMetricsListener()
                ? new MetricsListener(prometheus.metricsHost(config.host()), prometheus.metricsPort(),
                        injector.getInstance(PrometheusMetrics.class).endpoint())
                : null;
        this.discovery = injector.getInstance(Key.get(new TypeLiteral<Optional<KubernetesWorkerDiscovery>>() { }));
        this.fatalErrors = new FatalErrorWatch(state, () -> backendClient.getStatus() == IOReactorStatus.ACTIVE,
                FATAL_ERROR_CHECK_PERIOD, onFatal);
    }

    /**
     * Wires and starts mini-lb. Should a part it cannot serve without die, {@code /health} turns 503 and it stays so.
     *
     * @throws InvalidConfigurationException when the configuration names something unknown
     * @throws PortUnavailableException when the listen address cannot be bound
     */
    public static MiniLb start(MiniLbConfig config) {
        return start(config, reason -> { });
    }

    /** As {@link #start(MiniLbConfig)}, and {@code onFatal} runs once with the reason if a fatal error happens. */
    public static MiniLb start(MiniLbConfig config, Consumer<String> onFatal) {
        return start(config, onFatal, Duration.ZERO);
    }

    /**
     * As {@link #start(MiniLbConfig, Consumer)}, then warms up for at most {@code warmUp} (see {@link WarmUp}):
     * {@code /health} is 200 at once, {@code /readiness} only once that is over.
     */
    public static MiniLb start(MiniLbConfig config, Consumer<String> onFatal, Duration warmUp) {
        MiniLb miniLb = create(config, onFatal, true);
        if (!warmUp.isZero()) {
            miniLb.state.startWarmingUp(); // before listening: never ready before it is warm
        }
        miniLb.listen();
        if (!warmUp.isZero()) {
            miniLb.warmUp = WarmUp.begin(config, warmUp, miniLb.state);
        }
        return miniLb;
    }

    /** An instance that logs neither its start nor its stop: {@link WarmUp}'s. */
    static MiniLb startUnannounced(MiniLbConfig config) {
        MiniLb miniLb = create(config, reason -> { }, false);
        miniLb.listen();
        return miniLb;
    }

    private static MiniLb create(MiniLbConfig config, Consumer<String> onFatal, boolean announced) {
        try {
            return new MiniLb(config, Guice.createInjector(Stage.PRODUCTION, new MiniLbModule(config)), onFatal,
                    announced);
        } catch (CreationException | ProvisionException e) {
            throw configurationProblem(e);
        }
    }

    /** Reports an error mini-lb cannot recover from (e.g. an uncaught {@code Error} on one of its threads). */
    void fatal(String reason) {
        fatalErrors.fatal(reason);
    }

    /** The port actually bound: the configured one, or the free one picked for port 0. */
    public int port() {
        return server.port();
    }

    /** The port of the metrics listener of its own ({@code --prometheus-port}), when there is one. */
    public OptionalInt metricsPort() {
        return metricsListener == null ? OptionalInt.empty() : OptionalInt.of(metricsListener.port());
    }

    /** Base URL for clients, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    /**
     * Stops gracefully: reports 503 on /health, lets in-flight generations finish within the grace period (none after
     * a fatal error: they cannot finish).
     */
    @Override
    public void close() {
        if (warmUp != null) {
            warmUp.close();
        }
        discovery.ifPresent(KubernetesWorkerDiscovery::close);
        fatalErrors.close();
        healthChecks.close();
        state.startDraining();
        Duration grace = state.fatalError().isPresent() ? Duration.ZERO : config.timeouts().shutdownGrace();
        try {
            if (!state.awaitIdle(grace)) {
                LOG.warn("stopping with {} generations still in flight after the {} s grace period",
                        state.inFlight(), grace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        if (metricsListener != null) {
            metricsListener.stop();
        }
        BackendHttpClients.stop(backendClient);
        if (announced) {
            LOG.info("mini-lb stopped");
        }
    }

    private void listen() {
        checkWorkersFirst();
        try {
            server.start();
        } catch (RuntimeException e) {
            discovery.ifPresent(KubernetesWorkerDiscovery::close);
            healthChecks.close();
            BackendHttpClients.stop(backendClient);
            throw new PortUnavailableException(config.host(), config.port(), e);
        }
        if (metricsListener != null) {
            listenForScrapes();
        }
        if (announced) {
            LOG.info("mini-lb {} listening on {}; prefill [{}]; decode [{}]; policy prefill={} decode={}; "
                            + "request timeout {} s",
                    Version.current(), url(),
                    config.prefills().stream().map(MiniLb::describe).collect(Collectors.joining(", ")),
                    config.decodes().stream().map(decode -> decode.url()).collect(Collectors.joining(", ")),
                    config.prefillPolicy(), config.decodePolicy(), config.requestTimeout().toSeconds());
            warnIfAdminRoutesAreExposed();
        }
        discovery.ifPresent(KubernetesWorkerDiscovery::start);
    }

    /** Beyond loopback without an admin key, anyone who reaches mini-lb can flush caches and change its workers. */
    private void warnIfAdminRoutesAreExposed() {
        if (config.accessKeys().adminApiKey().isPresent() || isLoopback(config.host())) {
            return;
        }
        LOG.warn("listening on {} without --admin-api-key: anyone who reaches this address can use the admin routes "
                + "(/flush_cache, /workers, /health_generate, ...){}", config.host(),
                config.accessKeys().apiKey().isPresent() ? " with the client key" : "");
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void listenForScrapes() {
        PrometheusSettings prometheus = config.prometheus();
        try {
            metricsListener.start();
        } catch (RuntimeException e) {
            discovery.ifPresent(KubernetesWorkerDiscovery::close);
            server.stop();
            healthChecks.close();
            BackendHttpClients.stop(backendClient);
            throw new PortUnavailableException(prometheus.metricsHost(config.host()), prometheus.metricsPort(),
                    "--prometheus-port", e);
        }
        LOG.info("metrics also on http://{}:{}/metrics", prometheus.metricsHost(config.host()),
                metricsListener.port());
    }

    /**
     * Runs the first health check round before listening, so a configured worker that fails it (e.g. a prefill with
     * a wrong bootstrap port) never gets a request. Each check ends within its timeout, so this waits at most that.
     */
    private void checkWorkersFirst() {
        HealthCheckSettings checks = config.resilience().healthChecks();
        if (!checks.enabled()) {
            return;
        }
        try {
            healthChecks.start().get(checks.timeout().plus(FIRST_ROUND_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("the first health check round did not end within {} s; serving anyway, its results apply as "
                    + "they come", checks.timeout().plus(FIRST_ROUND_MARGIN).toSeconds());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the first health check round failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(PrefillWorker prefill) {
        return prefill.url() + " bootstrap "
                + (prefill.bootstrapPort().isPresent() ? String.valueOf(prefill.bootstrapPort().getAsInt()) : "default");
    }

    /** Guice reports provider failures as a list of messages; the user needs only ours. */
    private static RuntimeException configurationProblem(RuntimeException guiceError) {
        Collection<Message> messages = guiceError instanceof CreationException creation
                ? creation.getErrorMessages()
                : ((ProvisionException) guiceError).getErrorMessages();
        for (Message message : messages) {
            for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidConfigurationException invalid) {
                    return invalid;
                }
            }
        }
        return guiceError;
    }
}
