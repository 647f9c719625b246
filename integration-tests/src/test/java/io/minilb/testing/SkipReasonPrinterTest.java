package io.minilb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReasonPrinterTest {

    @Test
    void printsTheReasonOfEachDisabledClassAndFailedAssumptionButNothingForTestsThatRan() {
        var printed = new ByteArrayOutputStream();
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectClass(DisabledSample.class), selectClass(AssumingSample.class)).build(),
                        new SkipReasonPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)));

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactlyInAnyOrder(
                "SKIPPED " + DisabledSample.class.getName() + ": no Docker here",
                "SKIPPED " + AssumingSample.class.getName() + ".needsAGpu: Assumption failed: no GPU visible");
    }

    @Disabled("no Docker here")
    static class DisabledSample {
        @Test
        void neverRuns() {
        }
    }

    static class AssumingSample {
        @Test
        void needsAGpu() {
            assumeTrue(false, "no GPU visible");
        }

        @Test
        void runs() {
        }
    }
}
