package io.minilb.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's asynchronous load client (JDK only, so {@code run.sh} runs it as a single source file with
 * {@code java LoadClient.java ...}, no build needed).
 *
 * <p>Two targets:
 * <ul>
 *   <li>{@code --target direct --prefill URL --decode URL --bootstrap-port N}: the client is its own load
 *       balancer: per request it picks a random {@code bootstrap_room}, puts the bootstrap fields in the body and
 *       POSTs it to the prefill and to the decode at once; the request is done when both have answered (the
 *       answer is the decode's). This is the floor: the two upstream calls a PD load balancer must make, with no
 *       hop in between.</li>
 *   <li>{@code --target proxy --url URL [--inject-bootstrap --bootstrap-port N]}: one POST to a proxy (mini-lb,
 *       or nginx, which needs the bootstrap fields in the body since it cannot pick a room itself).</li>
 * </ul>
 *
 * <p>Two workloads: {@code generate} (closed loop, non-streaming, {@code --concurrency} requests in flight for
 * {@code --duration} seconds after {@code --warmup} seconds) and {@code stream} ({@code --streams} streaming
 * requests opened at once, each expecting {@code --tokens} frames then {@code [DONE]}; a warm-up round first).
 * Prints one line of {@code key=value} results.
 */
public final class LoadClient {
    private final Map<String, String> opts;
    private final HttpClient http;
    private final String label;

    private LoadClient(Map<String, String> opts) {
        this.opts = opts;
        this.label = opts.getOrDefault("label", opts.getOrDefault("target", "?"));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadClient generate|stream --target direct|proxy [--url U] [--prefill U --decode U]"
                    + " [--bootstrap-host H] [--bootstrap-port N] [--inject-bootstrap] [--concurrency C] [--duration S]"
                    + " [--warmup S] [--streams N] [--tokens N] [--label L]");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                opts.put(key, args[++i]);
            } else {
                opts.put(key, "true");
            }
        }
        LoadClient client = new LoadClient(opts);
        switch (args[0]) {
            case "generate" -> client.generate();
            case "stream" -> client.stream();
            default -> throw new IllegalArgumentException("unknown workload " + args[0]);
        }
        System.exit(0);
    }

    private boolean direct() {
        return "direct".equals(opts.getOrDefault("target", "proxy"));
    }

    private int tokens() {
        return Integer.parseInt(opts.getOrDefault("tokens", "1"));
    }

    private String body(boolean stream, boolean withBootstrap, long room) {
        StringBuilder b = new StringBuilder(200)
                .append("{\"text\":\"The quick brown fox jumps over the lazy dog\",\"sampling_params\":{\"max_new_tokens\":")
                .append(tokens()).append(",\"temperature\":0}");
        if (stream) {
            b.append(",\"stream\":true");
        }
        if (withBootstrap) {
            b.append(",\"bootstrap_host\":\"").append(opts.getOrDefault("bootstrap-host", "127.0.0.1"))
                    .append("\",\"bootstrap_port\":").append(opts.getOrDefault("bootstrap-port", "8998"))
                    .append(",\"bootstrap_room\":").append(room);
        }
        return b.append('}').toString();
    }

    private HttpRequest post(String base, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/generate"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static long newRoom() {
        return ThreadLocalRandom.current().nextLong(1L << 62);
    }

    // ---------------------------------------------------------------- non-streaming, closed loop

    private CompletableFuture<Integer> oneGenerate() {
        if (direct()) {
            String body = body(false, true, newRoom());
            CompletableFuture<HttpResponse<Void>> prefill =
                    http.sendAsync(post(opts.get("prefill"), body), HttpResponse.BodyHandlers.discarding());
            CompletableFuture<HttpResponse<Void>> decode =
                    http.sendAsync(post(opts.get("decode"), body), HttpResponse.BodyHandlers.discarding());
            return prefill.thenCombine(decode, (p, d) -> p.statusCode() == 200 ? d.statusCode() : p.statusCode());
        }
        boolean inject = opts.containsKey("inject-bootstrap");
        return http.sendAsync(post(opts.get("url"), body(false, inject, newRoom())), HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode);
    }

    private void generate() throws InterruptedException {
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "1"));
        double duration = Double.parseDouble(opts.getOrDefault("duration", "10"));
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", "2"));
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (duration * 1e9);
        long[] latencies = new long[4_000_000];
        AtomicInteger count = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            new Runnable() {
                long sent;

                @Override
                public void run() {
                    sent = System.nanoTime();
                    oneGenerate().whenComplete((status, error) -> {
                        long now = System.nanoTime();
                        if (sent >= measureFrom && now <= end) {
                            if (error != null || status != 200) {
                                errors.incrementAndGet();
                            } else {
                                int slot = count.getAndIncrement();
                                if (slot < latencies.length) {
                                    latencies[slot] = now - sent;
                                }
                            }
                        }
                        if (now < end) {
                            run();
                        } else {
                            done.countDown();
                        }
                    });
                }
            }.run();
        }
        boolean finished = done.await((long) (warmup + duration + 60), TimeUnit.SECONDS);
        int n = Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("label=%s workload=generate concurrency=%d requests=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f"
                        + " p999_ms=%.3f max_ms=%.3f%s%n",
                label, concurrency, n, errors.get(), n / duration, ms(pct(sorted, 50)), ms(pct(sorted, 99)),
                ms(pct(sorted, 99.9)), ms(n == 0 ? 0 : sorted[n - 1]), finished ? "" : " timeout=true");
    }

    // ---------------------------------------------------------------- streaming

    private void stream() throws InterruptedException {
        int streams = Integer.parseInt(opts.getOrDefault("streams", "64"));
        int rounds = Integer.parseInt(opts.getOrDefault("warmup-rounds", "1"));
        for (int i = 0; i < rounds; i++) {
            streamRound(streams, true);
        }
        streamRound(streams, false);
    }

    /** One stream's timeline, filled in by the line subscriber. */
    private static final class StreamResult {
        final long startNanos = System.nanoTime();
        volatile long firstFrameNanos;
        volatile long lastFrameNanos;
        volatile int frames;
        volatile boolean doneMarker;
        volatile int status;
        volatile Throwable error;
        /** Per frame: arrival since the first frame's minus production since the first frame's (decode's e2e_latency);
         * less the stream's minimum this is each frame's delay beyond the stream's fastest frame. */
        final long[] lagNanos;
        volatile double firstE2e;

        StreamResult(int expected) {
            lagNanos = new long[expected];
        }
    }

    private static double e2eLatency(String line) {
        int i = line.lastIndexOf("\"e2e_latency\":");
        if (i < 0) {
            return Double.NaN;
        }
        int from = i + 14;
        int to = from;
        while (to < line.length() && "0123456789.eE-".indexOf(line.charAt(to)) >= 0) {
            to++;
        }
        return Double.parseDouble(line.substring(from, to));
    }

    private void streamRound(int streams, boolean warmupRound) throws InterruptedException {
        int expected = tokens();
        List<StreamResult> results = new ArrayList<>(streams);
        CountDownLatch done = new CountDownLatch(streams);
        long roundStart = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            StreamResult r = new StreamResult(expected);
            results.add(r);
            long room = newRoom();
            String base = direct() ? opts.get("decode") : opts.get("url");
            String body = body(true, direct() || opts.containsKey("inject-bootstrap"), room);
            CompletableFuture<Void> prefill = direct()
                    ? http.sendAsync(post(opts.get("prefill"), body), HttpResponse.BodyHandlers.discarding())
                            .thenAccept(p -> { })
                    : CompletableFuture.completedFuture(null);
            CompletableFuture<Void> decode = http.sendAsync(post(base, body),
                            HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                                @Override
                                public void onSubscribe(Flow.Subscription s) {
                                    s.request(Long.MAX_VALUE);
                                }

                                @Override
                                public void onNext(String line) {
                                    if (!line.startsWith("data:")) {
                                        return;
                                    }
                                    if (line.startsWith("data: [DONE]")) {
                                        r.doneMarker = true;
                                        return;
                                    }
                                    long now = System.nanoTime();
                                    double e2e = e2eLatency(line);
                                    if (r.frames == 0) {
                                        r.firstFrameNanos = now;
                                        r.firstE2e = e2e;
                                    }
                                    if (r.frames < r.lagNanos.length) {
                                        r.lagNanos[r.frames] = (now - r.firstFrameNanos) - (long) ((e2e - r.firstE2e) * 1e9);
                                    }
                                    r.lastFrameNanos = now;
                                    r.frames++;
                                }

                                @Override
                                public void onError(Throwable t) {
                                    r.error = t;
                                }

                                @Override
                                public void onComplete() {
                                }
                            }))
                    .thenAccept(resp -> r.status = resp.statusCode());
            CompletableFuture.allOf(prefill, decode).whenComplete((v, e) -> {
                if (e != null && r.error == null) {
                    r.error = e;
                }
                done.countDown();
            });
        }
        boolean finished = done.await(300, TimeUnit.SECONDS);
        double wallS = (System.nanoTime() - roundStart) / 1e9;
        if (warmupRound) {
            return;
        }
        int errors = 0;
        long framesTotal = 0;
        long[] ttff = new long[streams];
        long[] gap = new long[streams];
        int ok = 0;
        long[] lags = new long[streams * expected];
        int nLags = 0;
        for (StreamResult r : results) {
            framesTotal += r.frames;
            if (r.error != null || r.status != 200 || r.frames != expected || !r.doneMarker) {
                errors++;
                continue;
            }
            ttff[ok] = r.firstFrameNanos - r.startNanos;
            gap[ok] = expected > 1 ? (r.lastFrameNanos - r.firstFrameNanos) / (expected - 1) : 0;
            ok++;
            long base = Long.MAX_VALUE; // the stream's fastest frame: lag is delay beyond it
            for (int k = 0; k < expected; k++) {
                base = Math.min(base, r.lagNanos[k]);
            }
            for (int k = 0; k < expected; k++) {
                lags[nLags++] = r.lagNanos[k] - base;
            }
        }
        long[] t = Arrays.copyOf(ttff, ok);
        long[] g = Arrays.copyOf(gap, ok);
        Arrays.sort(t);
        Arrays.sort(g);
        long[] lag = Arrays.copyOf(lags, nLags);
        Arrays.sort(lag);
        System.out.printf("label=%s workload=stream streams=%d frames_expected=%d frames_received=%d errors=%d"
                        + " ttff_p50_ms=%.2f ttff_p99_ms=%.2f frame_gap_p50_ms=%.3f frame_gap_p99_ms=%.3f"
                        + " frame_gap_mean_ms=%.3f frame_lag_p50_ms=%.3f frame_lag_p99_ms=%.3f frame_lag_max_ms=%.3f wall_s=%.2f%s%n",
                label, streams, (long) streams * expected, framesTotal, errors, ms(pct(t, 50)), ms(pct(t, 99)),
                ms(pct(g, 50)), ms(pct(g, 99)), ms(mean(g)),
                ms(pct(lag, 50)), ms(pct(lag, 99)), ms(nLags == 0 ? 0 : lag[nLags - 1]), wallS, finished ? "" : " timeout=true");
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long mean(long[] values) {
        return values.length == 0 ? 0 : (long) Arrays.stream(values).average().orElse(0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
