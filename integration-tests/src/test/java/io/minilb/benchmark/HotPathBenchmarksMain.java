package io.minilb.benchmark;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link HotPathBenchmarks} (integration-tests/benchmark/jmh.sh builds the class path). An argument, if
 * given, is a regex selecting benchmarks, e.g. {@code Room}.
 */
public final class HotPathBenchmarksMain {
    private HotPathBenchmarksMain() {
    }

    public static void main(String[] args) throws RunnerException {
        String include = args.length > 0 ? args[0] : HotPathBenchmarks.class.getSimpleName();
        Options options = new OptionsBuilder()
                .include(include)
                .shouldFailOnError(true)
                .build();
        new Runner(options).run();
    }
}
