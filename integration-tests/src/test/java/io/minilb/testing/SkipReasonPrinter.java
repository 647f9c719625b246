package io.minilb.testing;

import java.io.PrintStream;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints on the console why a test did not run: Maven's summary only counts skipped tests, and the reason (no Docker,
 * no GPU, real SGLang mode off) is otherwise only in the XML reports. Covers tests disabled before they start
 * ({@code @Testcontainers(disabledWithoutDocker = true)}, {@code @Disabled}) and tests aborted by an assumption.
 * Registered through {@code META-INF/services}, so Surefire and Failsafe both load it.
 */
public final class SkipReasonPrinter implements TestExecutionListener {

    private final PrintStream out;

    public SkipReasonPrinter() {
        this(System.out);
    }

    SkipReasonPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        out.println("SKIPPED " + name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            out.println("SKIPPED " + name(test) + ": "
                    + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static String name(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource method) {
            return method.getClassName() + "." + method.getMethodName();
        }
        if (source.isPresent() && source.get() instanceof ClassSource type) {
            return type.getClassName();
        }
        return test.getDisplayName();
    }
}
