package io.minilb.simulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.simulator.Faults;
import io.minilb.simulator.http.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * {@link Faults} as the admin API writes and reads them: {@code error_status}, {@code hang},
 * {@code slow_ms_per_token}, {@code drop_after_frames}, {@code health_failing}, {@code refuse_connections}.
 * An update names only the faults it changes; {@code null} switches one off.
 */
final class FaultsJson {
    private static final Set<String> FIELDS = Set.of("error_status", "hang", "slow_ms_per_token",
            "drop_after_frames", "health_failing", "refuse_connections");

    private FaultsJson() {
    }

    static ObjectNode write(Faults faults) {
        ObjectNode json = Json.object();
        json.set("error_status", faults.errorStatus() == null ? null : json.numberNode(faults.errorStatus()));
        json.put("hang", faults.hang()).put("slow_ms_per_token", faults.slowMsPerToken());
        json.set("drop_after_frames", faults.dropAfterFrames() == null ? null : json.numberNode(faults.dropAfterFrames()));
        return json.put("health_failing", faults.healthFailing()).put("refuse_connections", faults.refuseConnections());
    }

    /** @throws IllegalArgumentException for unknown fields or values of the wrong type */
    static Faults merge(Faults faults, JsonNode update) {
        if (update == null || !update.isObject()) {
            throw new IllegalArgumentException("expected a JSON object of faults, e.g. {\"error_status\": 503}");
        }
        for (Iterator<String> names = update.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown fault " + name + "; known: " + FIELDS);
            }
        }
        Faults merged = faults;
        if (update.has("error_status")) {
            merged = merged.withErrorStatus(optionalInt(update.get("error_status"), "error_status"));
        }
        if (update.has("hang")) {
            merged = merged.withHang(flag(update.get("hang"), "hang"));
        }
        if (update.has("slow_ms_per_token")) {
            JsonNode ms = update.get("slow_ms_per_token");
            if (!ms.isNull() && !ms.isNumber()) {
                throw new IllegalArgumentException("slow_ms_per_token must be a number or null");
            }
            merged = merged.withSlowMsPerToken(ms.asDouble(0));
        }
        if (update.has("drop_after_frames")) {
            merged = merged.withDropAfterFrames(optionalInt(update.get("drop_after_frames"), "drop_after_frames"));
        }
        if (update.has("health_failing")) {
            merged = merged.withHealthFailing(flag(update.get("health_failing"), "health_failing"));
        }
        if (update.has("refuse_connections")) {
            merged = merged.withRefuseConnections(flag(update.get("refuse_connections"), "refuse_connections"));
        }
        return merged;
    }

    private static Integer optionalInt(JsonNode value, String name) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be an integer or null");
        }
        return value.intValue();
    }

    private static boolean flag(JsonNode value, String name) {
        if (!value.isNull() && !value.isBoolean()) {
            throw new IllegalArgumentException(name + " must be true, false or null");
        }
        return value.asBoolean(false);
    }
}
