package io.minilb.adapters.in.http;

import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.domain.BootstrapAssignment;
import io.minilb.domain.BootstrapRoom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
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
 * Body injection, as a generation request takes it: parse the client's body once
 * ({@link GenerationBodyParser#parse}), then render it with the bootstrap fields ({@link JsonBodyPayload#renderWith}),
 * the bytes both legs are sent. Lives in the package because both classes are package-private; named
 * {@code *Benchmark} so surefire does not run it. Run with integration-tests/benchmark/jmh.sh (1 fork,
 * 3 x 1 s warm-up, 3 x 1 s measurement).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class BodyInjectionBenchmark {

    /** A typical OpenAI chat body: a system and a user message, sampling settings, streaming on (~0.5 KB). */
    private static final String CHAT_BODY = """
            {"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[\
            {"role":"system","content":"You are a helpful assistant. Answer concisely and cite the document when you can."},\
            {"role":"user","content":"Summarise the following paragraph in two sentences: The quick brown fox jumps over \
            the lazy dog. The dog, unimpressed, goes back to sleep while the fox trots off into the woods looking for \
            something more interesting to do on a sunny afternoon."}],\
            "max_tokens":256,"temperature":0.7,"top_p":0.95,"stream":true,"stream_options":{"include_usage":true}}""";

    private static final int BATCH = 8;

    private byte[] chatBody;
    private byte[] batchBody;
    private BootstrapAssignment single;
    private BootstrapAssignment batch;

    @Setup
    public void setUp() {
        chatBody = CHAT_BODY.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder("{\"text\":[");
        for (int i = 0; i < BATCH; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("\"Prompt ").append(i).append(": The quick brown fox jumps over the lazy dog, then what?\"");
        }
        batchBody = b.append("],\"sampling_params\":{\"max_new_tokens\":128,\"temperature\":0,\"stop\":[\"\\n\\n\"]},")
                .append("\"return_logprob\":false,\"stream\":false}")
                .toString().getBytes(StandardCharsets.UTF_8);
        single = new BootstrapAssignment("10.0.0.1", OptionalInt.of(8998),
                List.of(new BootstrapRoom(4_611_686_018_427_387_903L)), false);
        List<BootstrapRoom> rooms = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            rooms.add(new BootstrapRoom(1_000_000_007L * (i + 1)));
        }
        batch = new BootstrapAssignment("10.0.0.1", OptionalInt.of(8998), rooms, true);
    }

    /** {@code /v1/chat/completions}: scalar bootstrap fields. */
    @Benchmark
    public byte[] chatParseAndRender() throws InvalidRequestException {
        GenerationRequest request = GenerationBodyParser.parse(Endpoint.CHAT_COMPLETIONS, chatBody);
        return request.payload().renderWith(single);
    }

    /** {@code /generate} with 8 prompts: list-valued bootstrap fields, 8 rooms. */
    @Benchmark
    public byte[] generateBatchParseAndRender() throws InvalidRequestException {
        GenerationRequest request = GenerationBodyParser.parse(Endpoint.GENERATE, batchBody);
        return request.payload().renderWith(batch);
    }
}
