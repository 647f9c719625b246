package io.minilb.adapters.out.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the prompt-logprob lists sit in one JSON answer (an item object, or a batch: a list of them), found with a
 * streaming parser that skips every value it does not need: nothing is decoded or built, so scanning an answer costs
 * a few objects however large the answer is. Offsets are absolute positions in the scanned array.
 */
final class LogprobSpans {

    /** The {@code meta_info} lists merged, in a fixed order that indexes {@link Item#fields}. */
    static final List<String> FIELDS = List.of("input_token_logprobs", "input_top_logprobs", "input_token_ids_logprobs");

    private static final JsonFactory JSON = new JsonFactory();

    /** What one field of {@code meta_info} holds. */
    enum Kind { ABSENT, NULL, LIST }

    /**
     * One field's value: for a list from its {@code [} to its {@code ]} inclusive, for null the literal.
     *
     * @param end exclusive
     */
    record Value(Kind kind, int start, int end) {

        static final Value ABSENT_VALUE = new Value(Kind.ABSENT, -1, -1);

        /** Whether the list has no element (only whitespace between its brackets). */
        boolean isEmptyList(byte[] doc) {
            return kind == Kind.LIST && isBlank(doc, start + 1, end - 1);
        }
    }

    /**
     * One item's {@code meta_info} object.
     *
     * @param start the offset of its opening brace
     * @param empty whether it has no field at all
     * @param fields per entry of {@link #FIELDS}
     */
    record MetaInfo(int start, boolean empty, Value[] fields) {
    }

    /**
     * One item that has a {@code meta_info} object.
     *
     * @param position the item's place in a batch, 0 for a single object
     * @param indexField the item's own {@code index} field (named by stream frames), 0 if absent
     */
    record Item(int position, int indexField, MetaInfo metaInfo) {
    }

    private LogprobSpans() {
    }

    /** The items of {@code doc[from, to)} that have a {@code meta_info} object. */
    static List<Item> scan(byte[] doc, int from, int to) throws IOException {
        List<Item> items = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(doc, from, to - from)) {
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_ARRAY) {
                int position = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    addItem(parser, from, position++, items);
                }
            } else if (root != null) {
                addItem(parser, from, 0, items);
            }
        }
        return items;
    }

    private static void addItem(JsonParser parser, int base, int position, List<Item> items) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        int indexField = 0;
        MetaInfo metaInfo = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("meta_info") && value == JsonToken.START_OBJECT) {
                metaInfo = metaInfo(parser, base);
            } else if (name.equals("index") && value == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() == JsonParser.NumberType.INT) {
                indexField = parser.getIntValue();
            } else {
                parser.skipChildren();
            }
        }
        if (metaInfo != null) {
            items.add(new Item(position, indexField, metaInfo));
        }
    }

    /** Reads {@code meta_info}, the parser on its opening brace, up to its closing one. */
    private static MetaInfo metaInfo(JsonParser parser, int base) throws IOException {
        int start = base + offset(parser);
        Value[] fields = new Value[FIELDS.size()];
        Arrays.fill(fields, Value.ABSENT_VALUE);
        boolean empty = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            empty = false;
            int field = FIELDS.indexOf(parser.currentName());
            JsonToken value = parser.nextToken();
            if (field < 0) {
                parser.skipChildren();
            } else if (value == JsonToken.VALUE_NULL) {
                int at = base + offset(parser);
                fields[field] = new Value(Kind.NULL, at, at + "null".length());
            } else if (value == JsonToken.START_ARRAY) {
                int at = base + offset(parser);
                parser.skipChildren();
                fields[field] = new Value(Kind.LIST, at, base + offset(parser) + 1);
            } else {
                throw new MalformedLogprobs("meta_info." + FIELDS.get(field) + " is not a list");
            }
        }
        return new MetaInfo(start, empty, fields);
    }

    private static int offset(JsonParser parser) {
        return Math.toIntExact(parser.currentTokenLocation().getByteOffset());
    }

    static boolean isBlank(byte[] doc, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((doc[i] & 0xff) > ' ') {
                return false;
            }
        }
        return true;
    }

    /** An answer that is valid JSON but not shaped as SGLang's; its message is fit for a client. */
    static final class MalformedLogprobs extends IOException {
        MalformedLogprobs(String message) {
            super(message);
        }
    }
}
