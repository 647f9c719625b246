package io.minilb.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt's logprobs, which only the prefill computed, per batch item; and their merge into
 * the decode's answer, in front of the decode's own lists. A decode list that is missing or null
 * counts as empty; a decode item without {@code meta_info} (an OpenAI-format answer) is left as it
 * is. Immutable once built, so one instance serves every frame of a stream.
 */
final class PrefillLogprobs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS =
            List.of("input_token_logprobs", "input_top_logprobs", "input_token_ids_logprobs");
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    /** Per item index, the lists to prepend, by field name. */
    private final Map<Integer, ObjectNode> prefixesByItem;

    private PrefillLogprobs(Map<Integer, ObjectNode> prefixesByItem) {
        this.prefixesByItem = prefixesByItem;
    }

    /** From a whole answer: an object, or for a batch a list with one object per item. */
    static PrefillLogprobs fromBody(byte[] body) throws IOException {
        JsonNode root = JSON.readTree(body);
        Map<Integer, ObjectNode> prefixes = new HashMap<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                prefixes.put(i, prefixesOf(root.get(i)));
            }
        } else {
            prefixes.put(0, prefixesOf(root));
        }
        return new PrefillLogprobs(prefixes);
    }

    /** From an event stream: each item's first frame, the item named by the frame's {@code index} (0 if absent). */
    static PrefillLogprobs fromEventStream(byte[] stream) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        new SseFrameSplitter().split(ByteBuffer.wrap(stream), frames::add);
        Map<Integer, ObjectNode> prefixes = new HashMap<>();
        for (byte[] frame : frames) {
            JsonNode item = dataOf(frame);
            if (item != null && !prefixes.containsKey(indexOf(item))) {
                prefixes.put(indexOf(item), prefixesOf(item));
            }
        }
        return new PrefillLogprobs(prefixes);
    }

    /** The decode's whole answer with the prompt's logprobs in front, item by item. */
    byte[] prependToBody(byte[] decodeBody) throws IOException {
        JsonNode root = JSON.readTree(decodeBody);
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                prependTo(root.get(i), i);
            }
        } else {
            prependTo(root, 0);
        }
        return JSON.writeValueAsBytes(root);
    }

    /** The decode's frame with the prompt's logprobs in front; {@code [DONE]} and frames without logprobs pass as they are. */
    byte[] prependToFrame(byte[] frame) throws IOException {
        JsonNode item = dataOf(frame);
        if (item == null || !prependTo(item, indexOf(item))) {
            return frame;
        }
        byte[] json = JSON.writeValueAsBytes(item);
        byte[] merged = new byte[DATA_PREFIX.length + json.length + FRAME_END.length];
        System.arraycopy(DATA_PREFIX, 0, merged, 0, DATA_PREFIX.length);
        System.arraycopy(json, 0, merged, DATA_PREFIX.length, json.length);
        System.arraycopy(FRAME_END, 0, merged, DATA_PREFIX.length + json.length, FRAME_END.length);
        return merged;
    }

    /** Returns whether the item changed. */
    private boolean prependTo(JsonNode decodeItem, int index) throws IOException {
        ObjectNode prefixes = prefixesByItem.get(index);
        if (prefixes == null || prefixes.isEmpty() || !(decodeItem.get("meta_info") instanceof ObjectNode metaInfo)) {
            return false;
        }
        for (var prefix : prefixes.properties()) {
            JsonNode own = metaInfo.get(prefix.getKey());
            if (own != null && !own.isNull() && !own.isArray()) {
                throw new IOException("meta_info." + prefix.getKey() + " is not a list");
            }
            ArrayNode merged = metaInfo.arrayNode();
            merged.addAll((ArrayNode) prefix.getValue());
            if (own != null && own.isArray()) {
                merged.addAll((ArrayNode) own);
            }
            metaInfo.set(prefix.getKey(), merged);
        }
        return true;
    }

    /** The logprob lists of a prefill item's {@code meta_info}, checked to be lists. */
    private static ObjectNode prefixesOf(JsonNode item) throws IOException {
        ObjectNode prefixes = JSON.createObjectNode();
        JsonNode metaInfo = item.path("meta_info");
        for (String field : FIELDS) {
            JsonNode list = metaInfo.get(field);
            if (list == null || list.isNull()) {
                continue;
            }
            if (!list.isArray()) {
                throw new IOException("meta_info." + field + " is not a list");
            }
            prefixes.set(field, list);
        }
        return prefixes;
    }

    /** The JSON of a {@code data:} frame; null for {@code [DONE]} and frames without data. */
    private static JsonNode dataOf(byte[] frame) throws IOException {
        int start = SseFrames.dataStart(frame);
        if (start < 0 || SseFrames.isDone(frame)) {
            return null;
        }
        return JSON.readTree(frame, start, SseFrames.contentEnd(frame) - start);
    }

    private static int indexOf(JsonNode item) {
        return item.path("index").asInt(0);
    }
}
