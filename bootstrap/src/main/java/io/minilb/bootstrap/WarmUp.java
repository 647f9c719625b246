package io.minilb.bootstrap;

import io.minilb.application.lifecycle.ServingState;
import io.minilb.bootstrap.config.Limits;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.bootstrap.config.Observability;
import io.minilb.bootstrap.config.Timeouts;
import io.minilb.bootstrap.config.WorkerResilience;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles mini-lb's request path before it calls itself ready. Straight after a start the JVM interprets it, and the
 * first seconds of traffic would see a fraction of the steady throughput at many times its latency. For up to a time
 * budget, generations of every kind (SGLang and OpenAI routes, whole and streamed) go through a second, private
 * mini-lb on loopback, built from the same configuration, to {@link CannedWorkers}: the same classes, so the same
 * compiled code. Meanwhile {@code /readiness} answers 503 "warming up" (traffic that comes anyway is served), and the
 * private instance logs nothing and counts in no metric of the real one.
 */
final class WarmUp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final int CONCURRENCY = 32;
    /** Enough for the JIT's hottest tier on every path; it usually ends on the time budget first. */
    private static final int MAX_REQUESTS = 100_000;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final List<Call> CALLS = List.of(
            new Call("/generate", "{\"text\":\"warm up\",\"sampling_params\":{\"max_new_tokens\":1}}"),
            new Call("/generate", "{\"text\":\"warm up\",\"sampling_params\":{\"max_new_tokens\":1},\"stream\":true}"),
            new Call("/v1/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}],\"max_tokens\":1}"),
            new Call("/v1/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}],"
                            + "\"max_tokens\":1,\"stream\":true}"),
            new Call("/v1/completions", "{\"model\":\"m\",\"prompt\":\"warm up\",\"max_tokens\":1}"),
            new Call("/v1/completions", "{\"model\":\"m\",\"prompt\":\"warm up\",\"max_tokens\":1,\"stream\":true}"));

    private record Call(String path, String body) {
    }

    private final MiniLbConfig config;
    private final Duration budget;
    private final ServingState state;
    private final Thread thread;
    private volatile boolean stopped;

    private WarmUp(MiniLbConfig config, Duration budget, ServingState state) {
        this.config = config;
        this.budget = budget;
        this.state = state;
        this.thread = new Thread(this::run, "mini-lb-warm-up");
        thread.setDaemon(true);
    }

    /** Starts warming up in the background, and ends {@code state}'s warming up when done. */
    static WarmUp begin(MiniLbConfig config, Duration budget, ServingState state) {
        var warmUp = new WarmUp(config, budget, state);
        warmUp.thread.start();
        return warmUp;
    }

    /** Ends it early (mini-lb is stopping) and waits for its private instance to stop. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(CALL_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long start = System.nanoTime();
        int sent = 0;
        var failed = new AtomicInteger();
        try (CannedWorkers workers = CannedWorkers.start();
                MiniLb instance = MiniLb.startUnannounced(privateConfig(workers))) {
            sent = drive(URI.create(instance.url()), start + budget.toNanos(), failed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("warm-up stopped early: {}", e.toString());
        } finally {
            state.finishWarmingUp();
        }
        LOG.info("warmed up in {} ms: {} generations through a private instance{}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), sent,
                failed.get() == 0 ? "" : " (" + failed.get() + " failed)");
    }

    /**
     * The real configuration's policies, routing and limits; canned servers; no access log; a connection cap its
     * few clients fit in (the real one's may not fit the process's descriptors, and would be warned about twice).
     */
    private MiniLbConfig privateConfig(CannedWorkers workers) {
        Observability observability = config.observability();
        Limits limits = config.limits();
        PrefillWorker prefill = PrefillWorker.of(workers.prefillUrl(), workers.bootstrapPort());
        var fewConnections = new Limits(limits.maxPayloadBytes(), limits.maxResponseBytes(),
                limits.maxBufferedBytes(), 4 * CONCURRENCY, limits.streamBufferBytes());
        return new MiniLbConfig("127.0.0.1", 0, List.of(prefill), List.of(new DecodeWorker(workers.decodeUrl())),
                config.prefillPolicy(), config.decodePolicy(), Timeouts.withRequestTimeout(CALL_TIMEOUT),
                fewConnections, WorkerResilience.defaults())
                .withRouting(config.routing())
                .withObservability(new Observability(observability.requestIdHeaders(), List.of(), Optional.empty(),
                        false, false, Optional.empty()));
    }

    /**
     * Sends {@link #CALLS} in turn, {@link #CONCURRENCY} at a time, until the deadline; returns how many. With the
     * HTTP client mini-lb calls its servers with: its code gets warm too, and no other client's code competes for
     * the compiler.
     */
    private int drive(URI base, long deadlineNanos, AtomicInteger failed) throws InterruptedException {
        var slots = new Semaphore(CONCURRENCY);
        int sent = 0;
        try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).setTcpNoDelay(true).build())
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(CONCURRENCY).setMaxConnTotal(CONCURRENCY).build())
                .build()) {
            client.start();
            FutureCallback<SimpleHttpResponse> done = new FutureCallback<>() {
                @Override
                public void completed(SimpleHttpResponse response) {
                    if (response.getCode() != 200) {
                        failed.incrementAndGet();
                    }
                    slots.release();
                }

                @Override
                public void failed(Exception error) {
                    failed.incrementAndGet();
                    slots.release();
                }

                @Override
                public void cancelled() {
                    failed(null);
                }
            };
            while (!stopped && sent < MAX_REQUESTS && System.nanoTime() < deadlineNanos) {
                slots.acquire();
                Call call = CALLS.get(sent % CALLS.size());
                client.execute(SimpleRequestBuilder.post(base.resolve(call.path()))
                        .setBody(call.body(), ContentType.APPLICATION_JSON).build(), done);
                sent++;
            }
            slots.tryAcquire(CONCURRENCY, CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            LOG.debug("warm-up client did not close cleanly: {}", e.toString());
        }
        return sent;
    }
}
