package io.minilb.simulator.rendezvous;

import java.util.concurrent.CompletableFuture;

/**
 * One {@code bootstrap_room} at a prefill's bootstrap server, met by the prefill request holding it and the
 * decode claiming it, in either order. Its flags change only inside {@link RoomRegistry}'s atomic updates.
 */
public final class Room {
    private final long id;
    private final CompletableFuture<Void> claimed = new CompletableFuture<>();
    private final CompletableFuture<KvTransfer> kv = new CompletableFuture<>();
    boolean held;
    boolean claimedByDecode;

    Room(long id) {
        this.id = id;
    }

    public long id() {
        return id;
    }

    /**
     * Completes when a decode claims the room. The prefill's waiting timeout completes it exceptionally instead,
     * which also settles a race with a claim arriving at the same time: only one of them wins.
     */
    public CompletableFuture<Void> claimed() {
        return claimed;
    }

    /** Completes when the prefill sent the KV, exceptionally when it gave up. */
    public CompletableFuture<KvTransfer> kv() {
        return kv;
    }
}
