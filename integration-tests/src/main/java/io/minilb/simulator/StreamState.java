package io.minilb.simulator;

import java.util.List;

/**
 * A streamed answer in progress, as reported by {@code GET /_sim/state}: how far its generation got and how much
 * of it waits for the client. A stream whose client stops reading stops advancing once
 * {@code unwrittenBytes} passes a small bound.
 *
 * @param rooms          the bootstrap rooms of its items
 * @param frames         frames generated so far ({@code [DONE]} not included)
 * @param unwrittenBytes bytes generated that the socket has not taken yet
 */
public record StreamState(List<Long> rooms, int frames, long unwrittenBytes) {
}
