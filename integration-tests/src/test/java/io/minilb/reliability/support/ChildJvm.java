package io.minilb.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class run in a JVM of its own, with the test's classpath and the JVM options under test (e.g.
 * {@code -Xmx256m -XX:+ExitOnOutOfMemoryError}), so that a test can exhaust its memory, watch it die or survive,
 * and measure it, without risking the test's JVM. Its output (stdout and stderr) goes to a file. {@link #close()}
 * always destroys it.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    /** The heap's own lines in {@code GC.heap_info}: one space of indentation, "used N[KMG]" or "N[KMG] used". */
    private static final Pattern HEAP_USED = Pattern.compile("^ (?!Metaspace)\\S.*?(?:used (\\d+)([KMG])|(\\d+)([KMG]) used)");
    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);

    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code mainClass} with the given JVM options and program arguments, writing its output to
     * {@code output} (created or truncated).
     */
    public static ChildJvm start(String mainClass, List<String> jvmOptions, List<String> arguments, Path output) {
        List<String> command = new ArrayList<>();
        command.add(JAVA_BIN.resolve("java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(arguments);
        try {
            Files.createDirectories(output.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new ChildJvm(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, if it has exited. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits for it to exit and returns its exit code; fails if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + "; output:\n" + outputTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /**
     * Waits until a line of its output matches {@code pattern} and returns the match (e.g. the port from
     * {@code listening on http://127.0.0.1:(\d+)}). Fails if the time runs out or the JVM exits first.
     */
    public MatchResult awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !process.isAlive(); // before reading: the output is complete once it has exited
            for (String line : outputLines()) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return matcher.toMatchResult();
                }
            }
            if (exited) {
                throw new AssertionError("exited with " + process.exitValue() + " before printing a line matching "
                        + pattern + "; output:\n" + outputTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matching " + pattern + " within " + timeout + "; output:\n" + outputTail());
            }
            pause();
        }
    }

    public Path output() {
        return output;
    }

    public List<String> outputLines() {
        try {
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of its output, for failure messages. */
    public String outputTail() {
        List<String> lines = outputLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Its resident set size now (VmRSS), in bytes. */
    public long residentBytes() {
        try {
            Matcher rss = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
            if (!rss.find()) {
                throw new IllegalStateException("no VmRSS for process " + pid());
            }
            return Long.parseLong(rss.group(1)) * 1024;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of process " + pid() + " (exited?)", e);
        }
    }

    /** The heap in use right after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes. */
    public long heapUsedAfterFullGc() {
        jcmd("GC.run");
        long used = 0;
        boolean found = false;
        for (String line : jcmd("GC.heap_info").split("\n")) {
            Matcher heap = HEAP_USED.matcher(line);
            if (heap.find()) {
                used += heap.group(1) != null ? bytes(heap.group(1), heap.group(2)) : bytes(heap.group(3), heap.group(4));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no heap usage in GC.heap_info of process " + pid());
        }
        return used;
    }

    private static long bytes(String amount, String unit) {
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(amount) << shift;
    }

    private String jcmd(String command) {
        try {
            Process jcmd = new ProcessBuilder(JAVA_BIN.resolve("jcmd").toString(), Long.toString(pid()), command)
                    .redirectErrorStream(true)
                    .start();
            byte[] out = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroyForcibly();
                throw new IllegalStateException("jcmd " + command + " failed for process " + pid() + ": "
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Destroys the JVM (forcibly if it does not stop within seconds) and waits for it to be gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
