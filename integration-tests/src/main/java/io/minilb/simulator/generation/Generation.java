package io.minilb.simulator.generation;

import io.minilb.simulator.Faults;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.http.AsyncExchange;
import io.minilb.simulator.http.SseStream;
import io.minilb.simulator.state.SimulatorStats;
import java.util.ArrayList;
import java.util.List;

/**
 * One generation request being answered: runs a {@link Leg} per item and turns their progress into the
 * endpoint's response, streamed or whole. The first failing item fails the request. IO thread only.
 */
public final class Generation {
    private final AsyncExchange exchange;
    private final GenerationRequest request;
    private final Faults faults;
    private final SimulatorStats stats;
    private final ResponseFormat format;
    private final List<ItemOutput> outputs = new ArrayList<>();
    private SseStream stream;
    private int unfinished;

    private Generation(AsyncExchange exchange, GenerationRequest request, Faults faults, SimulatorStats stats) {
        this.exchange = exchange;
        this.request = request;
        this.faults = faults;
        this.stats = stats;
        this.format = ResponseFormat.of(request.endpoint());
    }

    /** Answers the request with the faults in force when it arrived. */
    public static void start(AsyncExchange exchange, GenerationRequest request, Faults faults, Leg leg, SimulatorStats stats) {
        Generation generation = new Generation(exchange, request, faults, stats);
        for (GenerationItem item : request.items()) {
            generation.outputs.add(new ItemOutput(item, leg.computesPrompt()));
            stats.room(RoomEvent.SEEN, item.target().room());
        }
        generation.unfinished = request.items().size();
        exchange.onFinish(generation::recordCancelledRooms);
        if (faults.hang()) {
            return;
        }
        if (request.stream()) {
            SseStream stream = exchange.openStream(faults.dropAfterFrames());
            generation.stream = stream;
            stats.streamOpened(stream, request.items().stream().map(item -> item.target().room()).toList());
            exchange.onFinish(() -> stats.streamClosed(stream));
        }
        for (ItemOutput output : generation.outputs) {
            if (exchange.isFinished()) {
                break; // an earlier item failed the request
            }
            leg.run(output, generation);
        }
    }

    public AsyncExchange exchange() {
        return exchange;
    }

    public Faults faults() {
        return faults;
    }

    /**
     * Whether the streaming client lags so far behind that generating more would only pile frames up in memory;
     * if so, {@code resume} runs once it has caught up. A real SGLang server stalls the same way: its streaming
     * response awaits each send, and the send waits while the socket's write buffer is full.
     */
    public boolean waitForClient(Runnable resume) {
        if (stream == null || !stream.isBackedUp()) {
            return false;
        }
        stream.whenDrained(resume);
        return true;
    }

    /** An item gained the tokens from {@code firstNewToken} on, or finished, or both. */
    public void progress(ItemOutput output, int firstNewToken) {
        if (exchange.isFinished()) {
            return;
        }
        if (stream != null) {
            format.progressFrames(request, output, firstNewToken, exchange.elapsedSeconds())
                    .forEach(stream::send);
        }
        if (output.isFinished()) {
            stats.room(RoomEvent.COMPLETED, output.item().target().room());
            if (--unfinished == 0) {
                complete();
            }
        }
    }

    /** An item cannot be answered: the request fails with an SGLang error. */
    public void fail(ItemOutput output, Failure failure) {
        if (exchange.isFinished()) {
            return;
        }
        stats.room(failure.event(), output.item().target().room());
        if (stream != null) {
            stream.send(SglangErrors.streamFrame(failure.status(), failure.message()));
            stream.end();
        } else {
            exchange.respond(failure.status(), SglangErrors.body(failure.status(), failure.message()));
        }
    }

    private void complete() {
        if (stream != null) {
            format.closingFrames(request, outputs).forEach(stream::send);
            stream.end();
        } else if (faults.dropAfterFrames() != null) {
            exchange.drop();
        } else {
            exchange.respond(200, format.body(request, outputs, exchange.elapsedSeconds()));
        }
    }

    private void recordCancelledRooms() {
        if (exchange.isCancelledByClient()) {
            outputs.stream().filter(output -> !output.isFinished())
                    .forEach(output -> stats.room(RoomEvent.CANCELLED, output.item().target().room()));
        }
    }
}
