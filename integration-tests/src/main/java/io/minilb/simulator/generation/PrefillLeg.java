package io.minilb.simulator.generation;

import io.minilb.simulator.SimulatedModel;
import io.minilb.simulator.SimulatorConfig;
import io.minilb.simulator.http.AsyncExchange;
import io.minilb.simulator.rendezvous.KvTransfer;
import io.minilb.simulator.rendezvous.RendezvousFailure;
import io.minilb.simulator.rendezvous.Room;
import io.minilb.simulator.rendezvous.RoomRegistry;
import java.util.concurrent.TimeoutException;

/**
 * A prefill's item: hold the room, wait for the decode to claim it (up to the waiting timeout), compute the
 * prompt (prefill latency, less its prefix found in the cache), send the KV, then answer with the first token and finish reason length 0.
 */
public final class PrefillLeg implements Leg {
    private final RoomRegistry rooms;
    private final SimulatorConfig config;
    private final PrefixCache cache;

    public PrefillLeg(RoomRegistry rooms, SimulatorConfig config) {
        this.rooms = rooms;
        this.config = config;
        this.cache = new PrefixCache(config.prefixCacheTokens());
    }

    @Override
    public boolean computesPrompt() {
        return true;
    }

    @Override
    public void run(ItemOutput output, Generation generation) {
        AsyncExchange exchange = generation.exchange();
        long id = output.item().target().room();
        Room room;
        try {
            room = rooms.hold(id);
        } catch (RendezvousFailure duplicate) {
            generation.fail(output, new Failure(duplicate.event(), 500, duplicate.getMessage()));
            return;
        }
        exchange.onFinish(() -> rooms.giveUp(room, "the prefill request for bootstrap_room " + id + " ended without sending the KV"));
        long waitingMillis = config.waitingTimeout().toMillis();
        exchange.schedule(waitingMillis, () -> room.claimed().completeExceptionally(new TimeoutException()));
        room.claimed().whenComplete((claimed, timeout) -> exchange.execute(() -> {
            if (timeout != null) {
                generation.fail(output, Failure.timedOut("no decode claimed bootstrap_room " + id
                        + " within the waiting timeout of " + waitingMillis + " ms"));
            } else {
                double msPerToken = config.prefillMsPerToken() + generation.faults().slowMsPerToken();
                int promptTokens = output.item().promptIds().size();
                // A cached prefix is not computed again: only the rest of the prompt costs prefill time.
                int cachedTokens = cache.computeAndCache(output.item().promptIds());
                output.setCachedTokens(cachedTokens);
                exchange.schedule(Math.round((promptTokens - cachedTokens) * msPerToken),
                        () -> sendKv(room, output, generation));
            }
        }));
    }

    private void sendKv(Room room, ItemOutput output, Generation generation) {
        GenerationItem item = output.item();
        rooms.sendKv(room, new KvTransfer(room.id(), item.promptIds().size(), item.promptHash(),
                output.cachedTokens()));
        if (item.maxTokens() > 0) {
            output.append(SimulatedModel.outputTokenId(config.textStyle(), item.promptHash(), 0));
        }
        output.finish(0);
        generation.progress(output, 0);
    }
}
