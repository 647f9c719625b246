package io.minilb.adapters.out.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Logprob merge of a {@code /generate} with {@code return_logprob}: read the prompt's logprobs from the prefill's
 * answer ({@link PrefillLogprobs#fromBody}) and put them in front of the decode's
 * ({@link PrefillLogprobs#intoBody}); and, for a stream, the merge into one decode frame
 * ({@link PrefillLogprobs#intoFrame}). 100 prompt tokens and 32 output tokens per item; the batch has 4 items.
 * In the package because {@code PrefillLogprobs} is package-private; named {@code *Benchmark} so surefire does not
 * run it. Run with integration-tests/benchmark/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class LogprobMergeBenchmark {

    private static final int PROMPT_TOKENS = 100;
    private static final int OUTPUT_TOKENS = 32;
    private static final int BATCH = 4;

    private byte[] prefillSingle;
    private byte[] decodeSingle;
    private byte[] prefillBatch;
    private byte[] decodeBatch;
    private PrefillLogprobs streamPrefix;
    private byte[] decodeFrame;

    @Setup
    public void setUp() throws IOException {
        prefillSingle = bytes(prefillItem(0));
        decodeSingle = bytes(decodeItem(0, OUTPUT_TOKENS));
        StringBuilder p = new StringBuilder("[");
        StringBuilder d = new StringBuilder("[");
        for (int i = 0; i < BATCH; i++) {
            p.append(i == 0 ? "" : ",").append(prefillItem(i));
            d.append(i == 0 ? "" : ",").append(decodeItem(i, OUTPUT_TOKENS));
        }
        prefillBatch = bytes(p.append(']').toString());
        decodeBatch = bytes(d.append(']').toString());
        streamPrefix = PrefillLogprobs.fromBody(prefillSingle);
        decodeFrame = bytes("data: " + decodeItem(0, 1) + "\n\n");
    }

    /** The prefill's answer: one output token (it only prefills), the prompt's logprobs. */
    private static String prefillItem(int index) {
        return "{\"text\":\"The\",\"meta_info\":{\"id\":\"req-" + index + "\",\"finish_reason\":{\"type\":\"length\",\"length\":1},"
                + "\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":1,\"cached_tokens\":0,"
                + "\"input_token_logprobs\":" + logprobs(PROMPT_TOKENS, 128_000 + index, true) + ","
                + "\"output_token_logprobs\":" + logprobs(1, 791, false) + ",\"e2e_latency\":0.0123}}";
    }

    /** The decode's answer: the output tokens' logprobs and an empty prompt list. */
    private static String decodeItem(int index, int outputTokens) {
        return "{\"text\":\"" + "word ".repeat(outputTokens).strip() + "\",\"meta_info\":{\"id\":\"req-" + index + "\","
                + "\"finish_reason\":{\"type\":\"length\",\"length\":" + outputTokens + "},"
                + "\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + outputTokens + ",\"cached_tokens\":0,"
                + "\"input_token_logprobs\":[],"
                + "\"output_token_logprobs\":" + logprobs(outputTokens, 1_000, false) + ",\"e2e_latency\":0.3456}}";
    }

    /** SGLang's {@code [logprob, token_id, text]} triples; text is null without return_text_in_logprobs. */
    private static String logprobs(int n, int firstId, boolean prompt) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append('[')
                    .append(prompt && i == 0 ? "null" : String.format(Locale.ROOT, "%.6f", -0.01 - (i * 37 % 100) / 13.0))
                    .append(',').append(firstId + i * 7).append(",null]");
        }
        return b.append(']').toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Non-streaming, single item: parse the prefill's answer, merge into the decode's. */
    @Benchmark
    public byte[] mergeSingle() throws IOException {
        return PrefillLogprobs.fromBody(prefillSingle).intoBody(decodeSingle).toByteArray();
    }

    /** Non-streaming batch of 4 items. */
    @Benchmark
    public byte[] mergeBatch() throws IOException {
        return PrefillLogprobs.fromBody(prefillBatch).intoBody(decodeBatch).toByteArray();
    }

    /** Streaming: the prompt's logprobs (parsed once per stream) into one decode frame. */
    @Benchmark
    public byte[] mergeStreamFrame() throws IOException {
        return streamPrefix.intoFrame(decodeFrame).toByteArray();
    }
}
