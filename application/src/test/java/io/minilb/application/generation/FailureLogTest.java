package io.minilb.application.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureLogTest {

    private final AtomicLong now = new AtomicLong();
    private final FailureLog log = new FailureLog(now::get, Duration.ofSeconds(10));
    private final List<String> lines = new ArrayList<>();

    @Test
    void aStormOfOneKindLogsOneLinePerIntervalWithTheCountSuppressed() {
        for (int i = 0; i < 1_000; i++) {
            log.log("decode http://d refused", suppressed -> lines.add("refused, " + suppressed + " suppressed"));
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.log("decode http://d refused", suppressed -> lines.add("refused, " + suppressed + " suppressed"));

        assertThat(lines).containsExactly("refused, 0 suppressed", "refused, 999 suppressed");
    }

    @Test
    void eachKeyHasItsOwnInterval() {
        log.log("a", suppressed -> lines.add("a"));
        log.log("b", suppressed -> lines.add("b"));
        log.log("a", suppressed -> lines.add("a again"));

        assertThat(lines).containsExactly("a", "b");
    }
}
