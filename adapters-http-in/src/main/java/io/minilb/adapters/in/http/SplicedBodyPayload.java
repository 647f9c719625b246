package io.minilb.adapters.in.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.minilb.application.generation.Payload;
import io.minilb.domain.BootstrapAssignment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The client's body as it sent it, with the bootstrap fields spliced in: its own top-level bootstrap members are cut
 * out once, and each rendering appends the assigned ones before the closing brace. Every other byte stays as the
 * client wrote it (a number such as {@code 1e999999999} is not re-sent as {@code 1E+999999999}), and a rendering is
 * a copy of the body instead of the serialisation of a tree.
 */
final class SplicedBodyPayload implements Payload {

    private static final Set<String> BOOTSTRAP_FIELDS = Set.of("bootstrap_host", "bootstrap_port", "bootstrap_room");

    /** The body up to its last kept member, without the comma after it. */
    private final byte[] head;
    private final boolean hasMembers;
    /** The closing brace and what follows it. */
    private final byte[] tail;

    private SplicedBodyPayload(byte[] head, boolean hasMembers, byte[] tail) {
        this.head = head;
        this.hasMembers = hasMembers;
        this.tail = tail;
    }

    /**
     * The payload of a body already read as a JSON object; empty when the parser cannot tell byte offsets (a body
     * in UTF-16 or UTF-32).
     */
    static Optional<SplicedBodyPayload> of(byte[] body) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            parser.nextToken();
            int[] starts = new int[8];
            boolean[] dropped = new boolean[8];
            int members = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if (members == starts.length) {
                    starts = Arrays.copyOf(starts, members * 2);
                    dropped = Arrays.copyOf(dropped, members * 2);
                }
                starts[members] = offset(parser.currentTokenLocation());
                dropped[members] = BOOTSTRAP_FIELDS.contains(parser.currentName());
                members++;
                parser.nextToken();
                parser.skipChildren();
            }
            int close = offset(parser.currentTokenLocation());
            if (close < 0 || members > 0 && starts[0] < 0) {
                return Optional.empty();
            }
            return Optional.of(splice(body, starts, dropped, members, close));
        } catch (IOException e) {
            throw new IllegalStateException("a body read as a JSON object reads again", e);
        }
    }

    private static SplicedBodyPayload splice(byte[] body, int[] starts, boolean[] dropped, int members, int close) {
        byte[] head = new byte[close];
        int length = members == 0 ? close : starts[0];
        System.arraycopy(body, 0, head, 0, length);
        boolean hasMembers = false;
        for (int i = 0; i < members; i++) {
            if (!dropped[i]) {
                // A member runs to the next one's name, so it carries the comma that followed it.
                int end = i + 1 < members ? starts[i + 1] : close;
                System.arraycopy(body, starts[i], head, length, end - starts[i]);
                length += end - starts[i];
                hasMembers = true;
            }
        }
        length = withoutTrailingComma(head, length);
        return new SplicedBodyPayload(Arrays.copyOf(head, length), hasMembers, Arrays.copyOfRange(body, close, body.length));
    }

    private static int withoutTrailingComma(byte[] bytes, int length) {
        int end = length;
        while (end > 0 && isWhitespace(bytes[end - 1])) {
            end--;
        }
        return end > 0 && bytes[end - 1] == ',' ? end - 1 : length;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static int offset(JsonLocation location) {
        return (int) location.getByteOffset();
    }

    @Override
    public byte[] renderWith(BootstrapAssignment assignment) {
        String host = new String(JsonStringEncoder.getInstance().quoteAsString(assignment.host()));
        String port = assignment.port().isPresent() ? Integer.toString(assignment.port().getAsInt()) : "null";
        int count = assignment.rooms().size();
        var fields = new StringBuilder(64 + 48 * count).append(hasMembers ? "," : "");
        fields.append("\"bootstrap_host\":");
        values(fields, assignment, i -> "\"" + host + "\"");
        fields.append(",\"bootstrap_port\":");
        values(fields, assignment, i -> port);
        fields.append(",\"bootstrap_room\":");
        values(fields, assignment, i -> Long.toString(assignment.rooms().get(i).value()));
        byte[] inserted = fields.toString().getBytes(StandardCharsets.UTF_8);
        byte[] rendered = Arrays.copyOf(head, head.length + inserted.length + tail.length);
        System.arraycopy(inserted, 0, rendered, head.length, inserted.length);
        System.arraycopy(tail, 0, rendered, head.length + inserted.length, tail.length);
        return rendered;
    }

    /** One value for a single request, a list of one per item for a batch. */
    private static void values(StringBuilder fields, BootstrapAssignment assignment, IntFunction<String> value) {
        if (!assignment.batch()) {
            fields.append(value.apply(0));
            return;
        }
        fields.append('[');
        for (int i = 0; i < assignment.rooms().size(); i++) {
            fields.append(i == 0 ? "" : ",").append(value.apply(i));
        }
        fields.append(']');
    }
}
