package io.minilb.adapters.out.http;

import io.minilb.application.limits.MemoryBudget;
import java.io.IOException;

/**
 * Merges the prompt's logprobs into the decode's whole answer or frames: each result at most the response limit,
 * its memory reserved before it is built.
 */
final class LogprobMerger {

    private final PrefillLogprobs logprobs;
    private final int limit;
    private final MemoryBudget.Share memory;

    LogprobMerger(PrefillLogprobs logprobs, int limit, MemoryBudget.Share memory) {
        this.logprobs = logprobs;
        this.limit = limit;
        this.memory = memory;
    }

    byte[] intoBody(byte[] decodeBody) throws IOException, CannotHold {
        return held(logprobs.intoBody(decodeBody));
    }

    byte[] intoFrame(byte[] frame) throws IOException, CannotHold {
        return held(logprobs.intoFrame(frame));
    }

    private byte[] held(ByteSplice merged) throws CannotHold {
        if (merged.length() > limit) {
            throw CannotHold.tooLarge();
        }
        if (!memory.tryHold(merged.length())) {
            throw CannotHold.noBudget();
        }
        return merged.toByteArray();
    }
}
