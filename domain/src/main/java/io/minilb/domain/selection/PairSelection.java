package io.minilb.domain.selection;

import io.minilb.domain.BackendPair;
import io.minilb.domain.DecodeWorker;
import io.minilb.domain.PrefillWorker;
import io.minilb.domain.worker.LiveWorker;
import io.minilb.domain.worker.Unavailability;
import io.minilb.domain.worker.WorkerRole;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The outcome of choosing a pair: both workers, or the side that has none available. */
public sealed interface PairSelection {

    /**
     * A prefill and a decode, each already counted in: the caller calls {@link LiveWorker#finish()} on both once the
     * request ends.
     */
    record Chosen(LiveWorker<PrefillWorker> prefill, LiveWorker<DecodeWorker> decode) implements PairSelection {

        public Chosen {
            Objects.requireNonNull(prefill, "prefill");
            Objects.requireNonNull(decode, "decode");
        }

        public BackendPair pair() {
            return new BackendPair(prefill.worker(), decode.worker());
        }
    }

    /**
     * No worker of {@code role} may take a request.
     *
     * @param registered how many workers of that role are registered
     * @param reasons how many of them are unavailable for each reason
     */
    record NoneAvailable(WorkerRole role, int registered, Map<Unavailability, Long> reasons) implements PairSelection {

        public NoneAvailable {
            Objects.requireNonNull(role, "role");
            // In the order of Unavailability, so messages built from it read the same every time.
            reasons = reasons.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(reasons));
        }
    }
}
