package io.minilb.application.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void reservesUpToTheLimitAndNoFurther() {
        var budget = new MemoryBudget(100);

        assertThat(budget.tryReserve(60)).isTrue();
        assertThat(budget.tryReserve(41)).isFalse();
        assertThat(budget.tryReserve(40)).isTrue();
        assertThat(budget.heldBytes()).isEqualTo(100);

        budget.release(60);
        assertThat(budget.tryReserve(41)).isTrue();
        assertThat(budget.heldBytes()).isEqualTo(81);
    }

    @Test
    void releasingMoreThanReservedIsABug() {
        var budget = new MemoryBudget(100);
        budget.tryReserve(10);

        assertThatThrownBy(() -> budget.release(11)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aShareGivesEverythingBackOnceWhenItEnds() {
        var budget = new MemoryBudget(100);
        MemoryBudget.Share share = budget.newShare();

        assertThat(share.tryHold(30)).isTrue();
        assertThat(share.tryHold(80)).isFalse();
        assertThat(share.tryHold(20)).isTrue();
        share.letGo(10);
        assertThat(budget.heldBytes()).isEqualTo(40);

        share.end();
        share.end();
        assertThat(budget.heldBytes()).isZero();
        assertThat(share.tryHold(1)).as("an ended share holds nothing more").isFalse();
    }

    @Test
    void concurrentReservationsNeverOvershoot() throws InterruptedException {
        var budget = new MemoryBudget(1_000);
        var granted = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            threads.execute(() -> {
                for (int j = 0; j < 1_000; j++) {
                    if (budget.tryReserve(7)) {
                        granted.incrementAndGet();
                    }
                }
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(granted.get()).isEqualTo(1_000 / 7);
        assertThat(budget.heldBytes()).isEqualTo(1_000 / 7 * 7);
    }
}
