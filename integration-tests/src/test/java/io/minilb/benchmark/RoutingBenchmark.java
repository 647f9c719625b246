package io.minilb.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minilb.bootstrap.MiniLb;
import io.minilb.bootstrap.config.MiniLbConfig;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.simulator.Simulator;
import io.minilb.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Routing policies compared on what they exploit: 2 prefill simulators with a prefix cache each too small for all
 * documents, 2 decode simulators with a batch size, the second twice as slow. The workload is {@code DOCUMENTS} long
 * documents (a shared prefix each) times many questions, in the same seeded order for every policy; then
 * {@code CONVERSATIONS} multi-turn conversations, each turn's prompt the previous one extended by its answer and a new
 * question, a conversation's turns sent one after the other. Each policy runs each workload on fresh simulators (cold
 * caches), the policies interleaved over {@code ROUNDS} rounds so that drift on the machine spreads over all of them.
 * Prints a Markdown table per workload. Knobs are system properties (see the constants' defaults).
 */
public final class RoutingBenchmark {

    private static final int ROUNDS = Integer.getInteger("rounds", 2);
    private static final int REQUESTS = Integer.getInteger("requests", 160);
    private static final int CONCURRENCY = Integer.getInteger("concurrency", 16);
    private static final int DOCUMENTS = Integer.getInteger("documents", 8);
    private static final int DOCUMENT_WORDS = Integer.getInteger("documentWords", 800);
    private static final int QUESTION_WORDS = 12;
    private static final int CONVERSATIONS = Integer.getInteger("conversations", 32);
    private static final int TURNS = Integer.getInteger("turns", 5);
    private static final int OPENING_WORDS = 150;
    private static final int TURN_WORDS = 60;
    private static final int OUTPUT_TOKENS = Integer.getInteger("outputTokens", 32);
    private static final double PREFILL_MS_PER_TOKEN = Double.parseDouble(System.getProperty("prefillMsPerToken", "0.5"));
    /** Room for about half the documents on each prefill: together they hold them all, if each gets its half. */
    private static final int PREFIX_CACHE_TOKENS = Integer.getInteger("prefixCacheTokens", 3_400);
    private static final double DECODE_MS_PER_TOKEN = Double.parseDouble(System.getProperty("decodeMsPerToken", "4"));
    private static final int DECODE_BATCH_SIZE = Integer.getInteger("decodeBatchSize", 4);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One policy setting: the label in the table, and the prefill and decode policies. */
    private record Setting(String label, String prefill, String decode) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("random", "random", "random"),
            new Setting("round_robin", "round_robin", "round_robin"),
            new Setting("power_of_two", "power_of_two", "power_of_two"),
            new Setting("least_load", "least_load", "least_load"),
            new Setting("cache_aware", "cache_aware", "cache_aware"),
            new Setting("cache_aware + least_load", "cache_aware", "least_load"),
            new Setting("cache_aware + power_of_two", "cache_aware", "power_of_two"));

    /** Prompts sent in sessions: a session's prompts one after the other, the sessions concurrently. */
    private record Workload(String label, List<List<String>> sessions) {
    }

    /** What one request took and what its prefill found cached. */
    private record Sample(double ttftMillis, double totalMillis, int promptTokens, int cachedTokens, boolean ok) {
    }

    /** The samples of one policy's run, and how long its requests took, from the first sent to the last answered. */
    private record Run(List<Sample> samples, double seconds) {
    }

    private RoutingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Workload> workloads = List.of(
                new Workload("documents x questions", documents(new Random(42)).stream().map(List::of).toList()),
                new Workload("multi-turn conversations", conversations()));
        // Warms the JIT up on every code path, so that the first policy measured is not the one paying for it.
        List<List<String>> warmUp = workloads.get(0).sessions();
        run(SETTINGS.get(SETTINGS.size() - 1), warmUp.subList(0, Math.min(warmUp.size(), 4 * CONCURRENCY)));
        Map<Workload, Map<Setting, List<Sample>>> samples = new LinkedHashMap<>();
        Map<Workload, Map<Setting, Double>> seconds = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < SETTINGS.size(); i++) {
                // Each round starts with another policy, so none always runs first on a cold JIT.
                Setting setting = SETTINGS.get((i + round) % SETTINGS.size());
                for (Workload workload : workloads) {
                    Run run = run(setting, workload.sessions());
                    seconds.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                            .merge(setting, run.seconds(), Double::sum);
                    samples.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                            .computeIfAbsent(setting, s -> new ArrayList<>()).addAll(run.samples());
                }
                System.err.printf(Locale.ROOT, "round %d: %s done%n", round + 1, setting.label());
            }
        }
        System.out.printf(Locale.ROOT, "%d rounds, %d concurrent clients, %d output tokens; prefill %.1f ms/token, "
                + "prefix cache %d tokens; decode %.1f and %.1f ms/token, batch size %d%n", ROUNDS, CONCURRENCY,
                OUTPUT_TOKENS, PREFILL_MS_PER_TOKEN, PREFIX_CACHE_TOKENS, DECODE_MS_PER_TOKEN,
                2 * DECODE_MS_PER_TOKEN, DECODE_BATCH_SIZE);
        System.out.printf(Locale.ROOT, "documents: %d requests per policy and round, %d documents x %d words; "
                + "conversations: %d x %d turns (%d words, then %d a turn)%n", REQUESTS, DOCUMENTS, DOCUMENT_WORDS,
                CONVERSATIONS, TURNS, OPENING_WORDS, TURN_WORDS);
        for (Workload workload : workloads) {
            System.out.printf("%n%s%n%n", workload.label());
            printTable(samples.get(workload), seconds.get(workload));
        }
    }

    private static void printTable(Map<Setting, List<Sample>> samples, Map<Setting, Double> seconds) {
        System.out.println("| policy (prefill + decode) | TTFT mean ms | TTFT p50 | TTFT p99 | total p50 ms | total p99 "
                + "| req/s | cache hit rate | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Setting setting : SETTINGS) {
            List<Sample> all = samples.get(setting);
            List<Sample> ok = all.stream().filter(Sample::ok).toList();
            double[] ttft = ok.stream().mapToDouble(Sample::ttftMillis).sorted().toArray();
            double[] total = ok.stream().mapToDouble(Sample::totalMillis).sorted().toArray();
            long prompt = ok.stream().mapToLong(Sample::promptTokens).sum();
            long cached = ok.stream().mapToLong(Sample::cachedTokens).sum();
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f%% | %d |%n",
                    setting.label(), Arrays.stream(ttft).average().orElse(Double.NaN), percentile(ttft, 50),
                    percentile(ttft, 99), percentile(total, 50), percentile(total, 99),
                    ok.size() / seconds.get(setting), prompt == 0 ? 0 : 100.0 * cached / prompt,
                    all.size() - ok.size());
        }
    }

    /** DOCUMENTS documents, each asked REQUESTS / DOCUMENTS distinct questions, shuffled. */
    private static List<String> documents(Random random) {
        List<String> documents = new ArrayList<>();
        for (int d = 0; d < DOCUMENTS; d++) {
            StringBuilder document = new StringBuilder("Document ").append(d).append(':');
            for (int w = 0; w < DOCUMENT_WORDS; w++) {
                document.append(" d").append(d).append('w').append(w);
            }
            documents.add(document.toString());
        }
        List<String> prompts = new ArrayList<>();
        for (int q = 0; q < REQUESTS; q++) {
            StringBuilder prompt = new StringBuilder(documents.get(random.nextInt(DOCUMENTS))).append(" Question:");
            for (int w = 0; w < QUESTION_WORDS; w++) {
                prompt.append(" q").append(q).append('w').append(w);
            }
            prompts.add(prompt.toString());
        }
        return prompts;
    }

    /**
     * CONVERSATIONS conversations of TURNS turns: an opening of OPENING_WORDS words, then each turn adds an answer and
     * a question (TURN_WORDS words together), so that each prompt extends the previous one.
     */
    private static List<List<String>> conversations() {
        List<List<String>> conversations = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            StringBuilder prompt = new StringBuilder("Conversation ").append(c).append(':');
            words(prompt, "c" + c + "o", OPENING_WORDS);
            List<String> turns = new ArrayList<>();
            for (int t = 0; t < TURNS; t++) {
                if (t > 0) {
                    prompt.append(" Answer:");
                    words(prompt, "c" + c + "a" + t + "w", TURN_WORDS / 2);
                }
                prompt.append(" Question:");
                words(prompt, "c" + c + "q" + t + "w", TURN_WORDS / 2);
                turns.add(prompt.toString());
            }
            conversations.add(turns);
        }
        return conversations;
    }

    private static void words(StringBuilder text, String stem, int count) {
        for (int w = 0; w < count; w++) {
            text.append(' ').append(stem).append(w);
        }
    }

    private static Run run(Setting setting, List<List<String>> sessions) throws Exception {
        List<Simulator> prefills = new ArrayList<>();
        List<Simulator> decodes = new ArrayList<>();
        MiniLb lb = null;
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            for (int i = 0; i < 2; i++) {
                prefills.add(SimulatorConfig.prefill().prefillMsPerToken(PREFILL_MS_PER_TOKEN)
                        .prefixCacheTokens(PREFIX_CACHE_TOKENS).start());
                decodes.add(SimulatorConfig.decode().decodeMsPerToken(DECODE_MS_PER_TOKEN * (i + 1))
                        .decodeBatchSize(DECODE_BATCH_SIZE).start());
            }
            lb = MiniLb.start(new MiniLbConfig("127.0.0.1", 0,
                    prefills.stream().map(p -> PrefillWorker.of(p.url(), p.bootstrapPort())).toList(),
                    decodes.stream().map(d -> new DecodeWorker(d.url())).toList(), Duration.ofSeconds(120))
                    .withPolicies(setting.prefill(), setting.decode()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String url = lb.url() + "/generate";
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<List<Sample>>> runs = new ArrayList<>();
            for (int c = 0; c < CONCURRENCY; c++) {
                runs.add(clients.submit(() -> {
                    List<Sample> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < sessions.size(); i = next.getAndIncrement()) {
                        for (String prompt : sessions.get(i)) {
                            mine.add(send(http, url, prompt));
                        }
                    }
                    return mine;
                }));
            }
            List<Sample> samples = new ArrayList<>();
            for (Future<List<Sample>> run : runs) {
                samples.addAll(run.get());
            }
            return new Run(samples, (System.nanoTime() - start) / 1e9);
        } finally {
            clients.shutdownNow();
            if (lb != null) {
                lb.close();
            }
            Stream.concat(prefills.stream(), decodes.stream()).forEach(Simulator::close);
        }
    }

    /** One streamed request: time to its first frame, to its end, and the token counts of its last frame. */
    private static Sample send(HttpClient http, String url, String prompt) {
        String body = JSON.createObjectNode().put("text", prompt).put("stream", true)
                .set("sampling_params", JSON.createObjectNode().put("max_new_tokens", OUTPUT_TOKENS)).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            double ttft = Double.NaN;
            JsonNode last = null;
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                // The whole line: the simulated model's text may hold "[DONE]" itself.
                if (!line.startsWith("data:") || line.strip().equals("data: [DONE]")) {
                    continue;
                }
                if (Double.isNaN(ttft)) {
                    ttft = (System.nanoTime() - start) / 1e6;
                }
                last = JSON.readTree(line.substring(5));
            }
            double total = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200 || last == null) {
                System.err.println("failed: status " + response.statusCode());
                return new Sample(0, 0, 0, 0, false);
            }
            JsonNode meta = last.path("meta_info");
            return new Sample(ttft, total, meta.path("prompt_tokens").asInt(), meta.path("cached_tokens").asInt(), true);
        } catch (IOException e) {
            System.err.println("failed: " + e);
            return new Sample(0, 0, 0, 0, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sample(0, 0, 0, 0, false);
        }
    }

    private static double percentile(double[] sorted, int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
