package io.minilb.adapters.out.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * SSE frame scanning on the decode's stream: cut a network chunk of several frames into frames
 * ({@link SseFrameSplitter#split}), and tell the end marker ({@link SseFrames#isDone}). In the package because both
 * classes are package-private; named {@code *Benchmark} so surefire does not run it. Run with
 * integration-tests/benchmark/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class SseScanBenchmark {

    private static final int FRAMES = 8;

    /** A chunk of 8 SGLang /generate stream frames (~250 bytes each), the last one {@code [DONE]}. */
    private byte[] chunk;
    private byte[] textFrame;
    private byte[] doneFrame;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < FRAMES - 1; i++) {
            b.append(frame(i));
        }
        chunk = b.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        textFrame = frame(0).getBytes(StandardCharsets.UTF_8);
        doneFrame = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    }

    private static String frame(int i) {
        return "data: {\"text\":\"" + "token ".repeat(i + 1) + "\",\"output_ids\":[" + (1000 + i) + "],"
                + "\"meta_info\":{\"id\":\"0a1b2c3d4e5f\",\"finish_reason\":null,\"prompt_tokens\":100,"
                + "\"completion_tokens\":" + (i + 1) + ",\"cached_tokens\":0,\"e2e_latency\":0." + (100 + i) + "}}\n\n";
    }

    /** One chunk of 8 frames through a fresh splitter (one per stream in production), each frame checked for [DONE]. */
    @Benchmark
    public void splitChunkAndDetectDone(Blackhole sink) {
        new SseFrameSplitter().split(ByteBuffer.wrap(chunk), frame -> sink.consume(SseFrames.isDone(frame)));
    }

    /** The [DONE] check alone, on an ordinary frame (scans to the JSON and compares). */
    @Benchmark
    public boolean isDoneOnDataFrame() {
        return SseFrames.isDone(textFrame);
    }

    /** The [DONE] check alone, on the end marker. */
    @Benchmark
    public boolean isDoneOnDoneFrame() {
        return SseFrames.isDone(doneFrame);
    }
}
