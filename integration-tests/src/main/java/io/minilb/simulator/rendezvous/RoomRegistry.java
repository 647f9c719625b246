package io.minilb.simulator.rendezvous;

import io.minilb.simulator.RoomEvent;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms a prefill's bootstrap server knows about. A room lives from the first of its two parties arriving
 * until the KV is sent or the prefill gives up. A second prefill request or a second decode for a room already
 * in flight is refused: on real servers such a duplicate corrupts the transfer.
 */
public final class RoomRegistry {
    private final ConcurrentHashMap<Long, Room> rooms = new ConcurrentHashMap<>();

    /** The prefill request for the room arrived. */
    public Room hold(long id) {
        return rooms.compute(id, (key, existing) -> {
            Room room = existing == null ? new Room(key) : existing;
            if (room.held) {
                throw new RendezvousFailure(RoomEvent.FAILED, "bootstrap_room " + key + " is already held by another prefill request");
            }
            room.held = true;
            return room;
        });
    }

    /** A decode claimed the room. */
    public Room claim(long id) {
        Room claimed = rooms.compute(id, (key, existing) -> {
            Room room = existing == null ? new Room(key) : existing;
            if (room.claimedByDecode) {
                throw new RendezvousFailure(RoomEvent.FAILED, "bootstrap_room " + key + " is already claimed by another decode");
            }
            room.claimedByDecode = true;
            return room;
        });
        claimed.claimed().complete(null); // outside the map's lock: this runs the prefill's continuation
        return claimed;
    }

    /** The prefill computed the prompt and sends the KV. */
    public void sendKv(Room room, KvTransfer kv) {
        rooms.remove(room.id(), room);
        room.kv().complete(kv);
    }

    /** The prefill request ended without sending the KV; a decode waiting for it fails. No-op once sent. */
    public void giveUp(Room room, String reason) {
        rooms.remove(room.id(), room);
        room.kv().completeExceptionally(new RendezvousFailure(RoomEvent.FAILED, reason));
    }

    /** The claiming decode went away or timed out: another may claim the room, or it is forgotten if no prefill holds it. */
    public void release(Room room) {
        rooms.computeIfPresent(room.id(), (key, existing) -> {
            if (existing != room) {
                return existing;
            }
            room.claimedByDecode = false;
            return room.held ? room : null;
        });
    }
}
