package io.minilb.domain.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.SeededRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RandomRoomAllocatorTest {

    @Test
    void roomsAreNonNegativeEvenWhenTheSourceIsNegative() {
        var allocator = new RandomRoomAllocator(() -> -1L);
        assertThat(allocator.allocate(1)).containsExactly(new BootstrapRoom(Long.MAX_VALUE));
    }

    @Test
    void aBatchGetsDistinctRoomsEvenWhenTheSourceRepeats() {
        var values = new long[] {5, 5, 5, 9, 5, 11};
        var index = new AtomicLong();
        var allocator = new RandomRoomAllocator(() -> values[(int) index.getAndIncrement()]);
        assertThat(allocator.allocate(3)).extracting(BootstrapRoom::value).containsExactly(5L, 9L, 11L);
    }

    @Test
    void largeBatchesAreDistinctAndInRange() {
        var rooms = new RandomRoomAllocator(new SeededRandom(1)).allocate(10_000);
        assertThat(rooms).hasSize(10_000).doesNotHaveDuplicates();
        assertThat(rooms).allSatisfy(room -> assertThat(room.value()).isNotNegative());
    }

    @Test
    void countBelowOneIsRejected() {
        assertThatThrownBy(() -> new RandomRoomAllocator(new SeededRandom(1)).allocate(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
