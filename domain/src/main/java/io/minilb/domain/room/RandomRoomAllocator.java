package io.minilb.domain.room;

import io.minilb.domain.BootstrapRoom;
import io.minilb.domain.RandomSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Uniform 63-bit rooms. Two requests in flight share a room with probability about
 * n^2 / 2^64, so no bookkeeping of live rooms is needed; within a batch, distinctness is checked.
 */
public final class RandomRoomAllocator implements RoomAllocator {

    private final RandomSource random;

    public RandomRoomAllocator(RandomSource random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public List<BootstrapRoom> allocate(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("room count must be at least 1, got " + count);
        }
        if (count == 1) {
            return List.of(next());
        }
        Set<BootstrapRoom> seen = new HashSet<>(count * 2);
        List<BootstrapRoom> rooms = new ArrayList<>(count);
        while (rooms.size() < count) {
            BootstrapRoom room = next();
            if (seen.add(room)) {
                rooms.add(room);
            }
        }
        return rooms;
    }

    private BootstrapRoom next() {
        return new BootstrapRoom(random.nextLong() & Long.MAX_VALUE);
    }
}
