package io.minilb.reliability.support;

import io.minilb.bootstrap.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * mini-lb started from its command line in a JVM of its own ({@link ChildJvm}), so that a test can give it the heap
 * and JVM options under test and see whether an attack kills it, without risking the test's JVM.
 */
public final class MiniLbProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final ChildJvm jvm;
    private final String url;

    private MiniLbProcess(ChildJvm jvm, String url) {
        this.jvm = jvm;
        this.url = url;
    }

    /**
     * Starts mini-lb on an ephemeral loopback port in front of one prefill (with its bootstrap port) and one decode,
     * with the given JVM options and extra flags (e.g. {@code --max-response-bytes 1048576}), and waits until it
     * listens. Its output goes to {@code output}.
     */
    public static MiniLbProcess start(List<String> jvmOptions, String prefillUrl, int bootstrapPort, String decodeUrl,
            List<String> flags, Path output) {
        List<String> arguments = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0",
                "--prefill", prefillUrl, Integer.toString(bootstrapPort), "--decode", decodeUrl));
        arguments.addAll(flags);
        ChildJvm jvm = ChildJvm.start(Main.class.getName(), jvmOptions, arguments, output);
        try {
            return new MiniLbProcess(jvm, jvm.awaitLine(LISTENING, STARTUP).group(1));
        } catch (RuntimeException | AssertionError e) {
            jvm.close();
            throw e;
        }
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** The JVM it runs in: whether it is alive, its memory, its output. */
    public ChildJvm jvm() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.close();
    }
}
