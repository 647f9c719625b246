package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.application.limits.MemoryBudget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A held body reserves what it allocates, hands on exactly what it was given, and releases the rest. */
class HeldBodyTest {

    private final MemoryBudget budget = new MemoryBudget(1024 * 1024);

    @Test
    void anAnswerInOneChunkIsHeldInExactlyItsSize() throws CannotHold {
        var body = new HeldBody(64 * 1024, budget.newShare());

        body.append(bytes("{\"text\":\" Paris\"}"));

        assertThat(budget.heldBytes()).isEqualTo(17);
        assertThat(new String(body.take(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\" Paris\"}");
        assertThat(budget.heldBytes()).isEqualTo(17);
    }

    @Test
    void anAnswerInManyChunksIsJoinedInOrderAndOnlyItsSizeStaysReserved() throws CannotHold {
        var body = new HeldBody(1024 * 1024, budget.newShare());
        var expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String chunk = "chunk-" + i + ";";
            expected.append(chunk);
            body.append(bytes(chunk));
        }

        byte[] taken = body.take();

        assertThat(new String(taken, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(budget.heldBytes()).isEqualTo(taken.length);
    }

    @Test
    void whileGrowingItReservesLittleMoreThanItHolds() throws CannotHold {
        var body = new HeldBody(1024 * 1024, budget.newShare());
        byte[] kib = new byte[1024];

        for (int i = 0; i < 300; i++) {
            body.append(ByteBuffer.wrap(kib));
        }

        // 300 KiB held in segments that double up to 64 KiB: never more than one largest segment beyond it.
        assertThat(budget.heldBytes()).isBetween(300L * 1024, 300L * 1024 + 64 * 1024);
    }

    @Test
    void aChunkPastTheLimitIsRefusedWhole() throws CannotHold {
        var body = new HeldBody(10, budget.newShare());
        body.append(bytes("12345"));
        ByteBuffer tooMuch = bytes("123456");

        assertThatThrownBy(() -> body.append(tooMuch)).isInstanceOf(CannotHold.class);
        assertThat(tooMuch.remaining()).isEqualTo(6);
    }

    @Test
    void aSpentBudgetStopsTheBody() {
        var body = new HeldBody(64 * 1024, new MemoryBudget(8).newShare());

        assertThatThrownBy(() -> body.append(bytes("more than eight bytes"))).isInstanceOf(CannotHold.class);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
