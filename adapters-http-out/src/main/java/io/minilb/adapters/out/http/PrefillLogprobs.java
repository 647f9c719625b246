package io.minilb.adapters.out.http;

import io.minilb.adapters.out.http.LogprobSpans.Item;
import io.minilb.adapters.out.http.LogprobSpans.MetaInfo;
import io.minilb.adapters.out.http.LogprobSpans.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt's logprobs, which only the prefill computed, per batch item; and their merge into the decode's answer,
 * in front of the decode's own lists. A decode list that is missing or null counts as empty; a decode item without
 * {@code meta_info} (an OpenAI-format answer) is left as it is.
 *
 * <p>Both sides stay bytes: the prefill's lists are kept as the bytes between their brackets, and a merge splices
 * them into a copy of the decode's bytes (see {@link LogprobSpans}), so merging costs the size of its result rather
 * than many times the answer as JSON trees would. Immutable once built, so one instance serves every frame of a
 * stream.
 */
final class PrefillLogprobs {

    private static final byte[] OPEN = {'['};
    private static final byte[] CLOSE = {']'};
    private static final byte[] COMMA = {','};
    private static final byte[] NOTHING = {};
    private static final byte[][] FIELD_KEYS = LogprobSpans.FIELDS.stream()
            .map(field -> ('"' + field + "\":").getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);

    /** Per item index, per entry of {@link LogprobSpans#FIELDS}: the list's elements, or null for no list. */
    private final Map<Integer, byte[][]> prefixesByItem;
    private final long size;

    private PrefillLogprobs(Map<Integer, byte[][]> prefixesByItem, long size) {
        this.prefixesByItem = prefixesByItem;
        this.size = size;
    }

    /** From a whole answer: an object, or for a batch a list with one object per item. */
    static PrefillLogprobs fromBody(byte[] body) throws IOException {
        var collected = new Collector();
        for (Item item : LogprobSpans.scan(body, 0, body.length)) {
            collected.keep(item.position(), body, item.metaInfo());
        }
        return collected.result();
    }

    /** The bytes kept. */
    long size() {
        return size;
    }

    /** The decode's whole answer with the prompt's logprobs in front, item by item. */
    ByteSplice intoBody(byte[] decodeBody) throws IOException {
        var splice = new ByteSplice(decodeBody);
        for (Item item : LogprobSpans.scan(decodeBody, 0, decodeBody.length)) {
            spliceInto(splice, decodeBody, item.metaInfo(), prefixesByItem.get(item.position()));
        }
        return splice;
    }

    /**
     * The decode's frame with the prompt's logprobs of the item it names in front; {@code [DONE]} and frames without
     * logprobs give an empty splice, whose result is the frame itself.
     */
    ByteSplice intoFrame(byte[] frame) throws IOException {
        var splice = new ByteSplice(frame);
        int start = SseFrames.dataStart(frame);
        if (start < 0 || SseFrames.isDone(frame)) {
            return splice;
        }
        for (Item item : LogprobSpans.scan(frame, start, SseFrames.contentEnd(frame))) {
            spliceInto(splice, frame, item.metaInfo(), prefixesByItem.get(item.indexField()));
        }
        return splice;
    }

    private static void spliceInto(ByteSplice splice, byte[] doc, MetaInfo metaInfo, byte[][] prefixes) {
        if (prefixes == null) {
            return;
        }
        List<byte[]> missingFields = new ArrayList<>();
        for (int field = 0; field < prefixes.length; field++) {
            byte[] prefix = prefixes[field];
            if (prefix == null) {
                continue;
            }
            Value own = metaInfo.fields()[field];
            switch (own.kind()) {
                case LIST -> {
                    if (prefix.length > 0) {
                        splice.insert(own.start() + 1, prefix, own.isEmptyList(doc) ? NOTHING : COMMA);
                    }
                }
                case NULL -> splice.replace(own.start(), own.end() - own.start(), OPEN, prefix, CLOSE);
                case ABSENT -> missingFields.addAll(List.of(COMMA, FIELD_KEYS[field], OPEN, prefix, CLOSE));
            }
        }
        if (!missingFields.isEmpty()) {
            // Each missing field went in as ",key:[...]": the first comma goes after them instead, if anything follows.
            missingFields.remove(0);
            if (!metaInfo.empty()) {
                missingFields.add(COMMA);
            }
            splice.insert(metaInfo.start() + 1, missingFields.toArray(byte[][]::new));
        }
    }

    /**
     * Collects the prefill's lists item by item (of a whole answer, or of a stream), keeping only the first frame of each item of an event stream:
     * feed it frames as they arrive and drop them.
     */
    static final class Collector {

        private final Map<Integer, byte[][]> prefixesByItem = new HashMap<>();
        private long size;

        /** Keeps the lists of the item this frame names, unless an earlier frame had them; returns the bytes kept. */
        long accept(byte[] frame) throws IOException {
            int start = SseFrames.dataStart(frame);
            if (start < 0 || SseFrames.isDone(frame)) {
                return 0;
            }
            long before = size;
            for (Item item : LogprobSpans.scan(frame, start, SseFrames.contentEnd(frame))) {
                if (!prefixesByItem.containsKey(item.indexField())) {
                    keep(item.indexField(), frame, item.metaInfo());
                }
            }
            return size - before;
        }

        PrefillLogprobs result() {
            return new PrefillLogprobs(Map.copyOf(prefixesByItem), size);
        }

        private void keep(int index, byte[] doc, MetaInfo metaInfo) {
            byte[][] prefixes = new byte[LogprobSpans.FIELDS.size()][];
            for (int field = 0; field < prefixes.length; field++) {
                Value list = metaInfo.fields()[field];
                if (list.kind() == LogprobSpans.Kind.LIST) {
                    prefixes[field] = elements(doc, list);
                    size += prefixes[field].length;
                }
            }
            prefixesByItem.put(index, prefixes);
        }

        /** What is between a list's brackets, without surrounding whitespace. */
        private static byte[] elements(byte[] doc, Value list) {
            int from = list.start() + 1;
            int to = list.end() - 1;
            while (from < to && (doc[from] & 0xff) <= ' ') {
                from++;
            }
            while (to > from && (doc[to - 1] & 0xff) <= ' ') {
                to--;
            }
            return Arrays.copyOfRange(doc, from, to);
        }
    }
}
