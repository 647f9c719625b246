package io.minilb.domain.room;

import io.minilb.domain.BootstrapRoom;
import java.util.List;

/** Hands out bootstrap rooms; the rooms of one call are pairwise distinct. */
public interface RoomAllocator {

    /** @param count at least 1 */
    List<BootstrapRoom> allocate(int count);
}
