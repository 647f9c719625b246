package io.minilb.adapters.out.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads single SSE frames as bytes, without decoding them to text. */
final class SseFrames {

    private static final String EVENT_STREAM = "text/event-stream";
    private static final byte[] DATA_FIELD = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /** Whether a Content-Type header names an event stream, parameters or not. */
    static boolean isEventStream(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, EVENT_STREAM, 0, EVENT_STREAM.length())) {
            return false;
        }
        return contentType.length() == EVENT_STREAM.length()
                || contentType.charAt(EVENT_STREAM.length()) == ';'
                || contentType.charAt(EVENT_STREAM.length()) == ' ';
    }

    /** Whether the frame is the end marker {@code data: [DONE]}; text merely containing it is not. */
    static boolean isDone(byte[] frame) {
        int start = dataStart(frame);
        int end = contentEnd(frame);
        return start >= 0 && start <= end && Arrays.equals(frame, start, end, DONE, 0, DONE.length);
    }

    /** Where the value of a frame that starts with a {@code data:} field begins, or -1. */
    static int dataStart(byte[] frame) {
        if (!Arrays.equals(frame, 0, Math.min(frame.length, DATA_FIELD.length), DATA_FIELD, 0, DATA_FIELD.length)) {
            return -1;
        }
        int start = DATA_FIELD.length;
        return start < frame.length && frame[start] == ' ' ? start + 1 : start;
    }

    /** The frame's length without its trailing whitespace and line breaks. */
    static int contentEnd(byte[] frame) {
        int end = frame.length;
        while (end > 0 && (frame[end - 1] & 0xff) <= ' ') {
            end--;
        }
        return end;
    }
}
