package io.minilb.simulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.minilb.simulator.Faults;
import io.minilb.simulator.Mode;
import io.minilb.simulator.RecordedRequest;
import io.minilb.simulator.RoomEvent;
import io.minilb.simulator.SimulatorState;
import io.minilb.simulator.StreamState;
import io.minilb.simulator.http.AsyncExchange;
import io.minilb.simulator.http.SseStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe record of what a simulator received and how its generation requests ended. */
public final class SimulatorStats implements AsyncExchange.Tracker {
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    private final BoundedHistory<RecordedRequest> recentRequests;
    private final Map<RoomEvent, BoundedHistory<Long>> rooms = new EnumMap<>(RoomEvent.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong cancelled = new AtomicLong();
    private final Map<SseStream, List<Long>> openStreams = new ConcurrentHashMap<>();

    public SimulatorStats(int historySize) {
        recentRequests = new BoundedHistory<>(historySize);
        for (RoomEvent event : RoomEvent.values()) {
            rooms.put(event, new BoundedHistory<>(historySize));
        }
    }

    public void countRequest(String path) {
        requestCounts.computeIfAbsent(path, p -> new LongAdder()).increment();
    }

    public void recordBody(String method, String path, JsonNode body) {
        recentRequests.add(new RecordedRequest(method, path, body));
    }

    public void room(RoomEvent event, long room) {
        rooms.get(event).add(room);
    }

    /** A streamed answer started, for the items of these bootstrap rooms. */
    public void streamOpened(SseStream stream, List<Long> rooms) {
        openStreams.put(stream, rooms);
    }

    public void streamClosed(SseStream stream) {
        openStreams.remove(stream);
    }

    @Override
    public void started() {
        inFlight.incrementAndGet();
    }

    @Override
    public void finished(boolean cancelledByClient) {
        inFlight.decrementAndGet();
        if (cancelledByClient) {
            cancelled.incrementAndGet();
        }
    }

    public SimulatorState snapshot(Mode mode, Faults faults, int openConnections) {
        Map<String, Long> counts = new TreeMap<>();
        requestCounts.forEach((path, count) -> counts.put(path, count.sum()));
        Map<RoomEvent, List<Long>> roomsByEvent = new EnumMap<>(RoomEvent.class);
        rooms.forEach((event, history) -> roomsByEvent.put(event, history.snapshot()));
        List<StreamState> streams = openStreams.entrySet().stream()
                .map(open -> new StreamState(open.getValue(), open.getKey().frames(), open.getKey().unwrittenBytes()))
                .toList();
        return new SimulatorState(mode, openConnections, inFlight.get(), cancelled.get(), streams, Map.copyOf(counts),
                recentRequests.snapshot(), roomsByEvent, faults);
    }

    /** Forgets history and counters; requests still in flight stay counted as such. */
    public void reset() {
        requestCounts.clear();
        recentRequests.clear();
        rooms.values().forEach(BoundedHistory::clear);
        cancelled.set(0);
    }
}
