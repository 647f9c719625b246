package io.minilb.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChildJvmTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern HOLDING = Pattern.compile("holding (\\d+) MB");
    private static final long MB = 1 << 20;

    /** Keeps the given number of MB reachable, says so, and waits to be killed. */
    public static final class Hoarder {
        static byte[][] hoard;

        public static void main(String[] args) throws InterruptedException {
            int megabytes = Integer.parseInt(args[0]);
            hoard = new byte[megabytes * 16][];
            for (int i = 0; i < hoard.length; i++) {
                hoard[i] = new byte[64 << 10]; // small objects: G1 would give a 1 MB array regions of its own
                hoard[i][0] = 1;
            }
            System.out.println("holding " + megabytes + " MB");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseZGC"})
    void measuresTheHeapLeftAfterAFullCollectionWhateverTheCollector(String collector, @TempDir Path dir) {
        try (ChildJvm child = ChildJvm.start(Hoarder.class.getName(), List.of("-Xmx128m", collector), List.of("40"),
                dir.resolve("out.log"))) {
            assertThat(child.awaitLine(HOLDING, PATIENCE).group(1)).isEqualTo("40");

            assertThat(child.heapUsedAfterFullGc()).isBetween(40 * MB, 60 * MB);
            assertThat(child.residentBytes()).isGreaterThan(40 * MB);
            assertThat(child.isAlive()).isTrue();
            assertThat(child.exitCode()).isEmpty();
            child.close();
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void reportsAnExitOnOutOfMemoryAndDoesNotWaitForALineThatWillNotCome(@TempDir Path dir) {
        try (ChildJvm child = ChildJvm.start(Hoarder.class.getName(), List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("200"), dir.resolve("out.log"))) {
            assertThatThrownBy(() -> child.awaitLine(HOLDING, PATIENCE))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited with 3");

            assertThat(child.awaitExit(PATIENCE)).isEqualTo(3);
            assertThat(child.exitCode()).hasValue(3);
            assertThat(child.outputLines()).anyMatch(line -> line.contains("OutOfMemoryError"));
        }
    }
}
