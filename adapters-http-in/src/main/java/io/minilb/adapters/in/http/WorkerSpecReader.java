package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.Worker;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A worker to add, from {@code POST /workers}'s JSON body or {@code POST /add_worker}'s query: {@code url},
 * {@code worker_type} ({@code prefill} or {@code decode}: mini-lb has no other kind) and, for a prefill,
 * {@code bootstrap_port}. Other fields SGLang's router takes (labels, priority, ...) are ignored.
 */
final class WorkerSpecReader {

    private WorkerSpecReader() {
    }

    static Worker fromJson(ObjectNode body) throws InvalidRequestException {
        return worker(text(body, "url"), text(body, "worker_type"), bootstrapPort(body.get("bootstrap_port")));
    }

    static Worker fromQuery(Map<String, Deque<String>> query) throws InvalidRequestException {
        String port = first(query, "bootstrap_port");
        return worker(first(query, "url"), first(query, "worker_type"),
                port == null || port.isEmpty() || port.equalsIgnoreCase("none") ? OptionalInt.empty() : parsePort(port));
    }

    private static Worker worker(String url, String type, OptionalInt bootstrapPort) throws InvalidRequestException {
        if (url == null) {
            throw new InvalidRequestException("'url' is required");
        }
        if (type == null) {
            throw new InvalidRequestException("'worker_type' is required: prefill or decode");
        }
        try {
            switch (type.toLowerCase(Locale.ROOT)) {
                case "prefill":
                    return new PrefillWorker(url, bootstrapPort);
                case "decode":
                    if (bootstrapPort.isPresent()) {
                        throw new InvalidRequestException("'bootstrap_port' is for a prefill, not a decode");
                    }
                    return new DecodeWorker(url);
                default:
                    throw new InvalidRequestException("'worker_type' must be prefill or decode, got '" + type + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private static String text(ObjectNode body, String field) throws InvalidRequestException {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("'" + field + "' must be a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    private static OptionalInt bootstrapPort(JsonNode value) throws InvalidRequestException {
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new InvalidRequestException("'bootstrap_port' must be a port number in 1-65535 or null");
        }
        return OptionalInt.of(value.intValue());
    }

    private static OptionalInt parsePort(String port) throws InvalidRequestException {
        try {
            return OptionalInt.of(Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'bootstrap_port' must be a port number in 1-65535 or none");
        }
    }

    private static String first(Map<String, Deque<String>> query, String name) {
        Deque<String> values = query.get(name);
        return values == null ? null : values.peekFirst();
    }
}
