package io.minilb.domain;

import io.minilb.domain.worker.WorkerRole;
import java.util.OptionalInt;

/**
 * A prefill server: its HTTP URL and the port of its KV bootstrap server, when configured.
 * Without a port the prefill's own default applies, so none is ever invented here.
 */
public record PrefillWorker(String url, OptionalInt bootstrapPort) implements Worker {

    public PrefillWorker {
        url = WorkerUrl.normalize(url);
        if (bootstrapPort == null) {
            throw new IllegalArgumentException("bootstrapPort must be OptionalInt.empty() when none is configured");
        }
        if (bootstrapPort.isPresent() && (bootstrapPort.getAsInt() < 1 || bootstrapPort.getAsInt() > 65_535)) {
            throw new IllegalArgumentException(
                    "bootstrap port " + bootstrapPort.getAsInt() + " of prefill '" + url + "' is outside 1-65535");
        }
    }

    public static PrefillWorker of(String url, int bootstrapPort) {
        return new PrefillWorker(url, OptionalInt.of(bootstrapPort));
    }

    public static PrefillWorker withoutBootstrapPort(String url) {
        return new PrefillWorker(url, OptionalInt.empty());
    }

    @Override
    public WorkerRole role() {
        return WorkerRole.PREFILL;
    }

    /** The host decode servers connect to for the KV handshake (IPv6 in brackets). */
    public String bootstrapHost() {
        return WorkerUrl.host(url);
    }
}
