package io.minilb.simulator;

import java.util.List;
import java.util.Map;

/**
 * What a simulator has seen, as reported by {@code GET /_sim/state}. Histories keep the most recent
 * {@link SimulatorConfig#historySize()} entries, oldest first.
 *
 * @param openConnections   client connections to the HTTP port accepted and not yet closed, whether or not they
 *                          sent a request
 * @param inFlightRequests  generation requests received and not yet answered (hung ones included)
 * @param cancelledRequests generation requests whose client closed the connection before the answer was complete
 * @param streams           the streamed answers in progress
 * @param requestCounts     requests per path on the HTTP port (everything but {@code /_sim/*})
 * @param recentRequests    the latest requests that had a body
 * @param rooms             the latest rooms per event
 * @param faults            the faults now active
 */
public record SimulatorState(
        Mode mode,
        int openConnections,
        int inFlightRequests,
        long cancelledRequests,
        List<StreamState> streams,
        Map<String, Long> requestCounts,
        List<RecordedRequest> recentRequests,
        Map<RoomEvent, List<Long>> rooms,
        Faults faults) {

    /** Frames generated so far by the streams in progress, all together. */
    public long streamFrames() {
        return streams.stream().mapToLong(StreamState::frames).sum();
    }

    public long requestCount(String path) {
        return requestCounts.getOrDefault(path, 0L);
    }

    public List<Long> rooms(RoomEvent event) {
        return rooms.getOrDefault(event, List.of());
    }
}
