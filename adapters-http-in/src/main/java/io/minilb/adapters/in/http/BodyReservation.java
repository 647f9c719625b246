package io.minilb.adapters.in.http;

import io.minilb.application.limits.MemoryBudget;
import io.undertow.util.AttachmentKey;

/**
 * The share of the memory budget one request holds: its body, grown as the body arrives, and then its whole answer
 * until the client has taken it; given back once, when its exchange completes (answered, failed or abandoned by the
 * client). Thread-safe: the exchange may complete on a backend thread.
 */
final class BodyReservation {

    /** Where the exchange keeps its reservation, for the answer to join it. */
    static final AttachmentKey<BodyReservation> KEY = AttachmentKey.create(BodyReservation.class);

    /**
     * Heap held per body byte while the request is served: its JSON tree (measured with Jackson on 1 MB bodies: a
     * text prompt 1-2x the body, token ids 3.6-6x, chat messages about 8x) and the two renderings sent to the prefill
     * and the decode (1x each); the received bytes are garbage once parsed. 8 covers prompts, token ids and usual
     * chat bodies; only bodies made of many tiny objects cost more (about 26x), which the payload limit bounds.
     */
    static final int HEAP_BYTES_PER_BODY_BYTE = 8;

    private final MemoryBudget.Share share;
    private long coveredBodyBytes;

    BodyReservation(MemoryBudget budget) {
        this.share = budget.newShare();
    }

    /** Holds enough for a body of {@code bodyBytes}; false, holding no more than before, when the budget is spent. */
    synchronized boolean cover(long bodyBytes) {
        if (bodyBytes <= coveredBodyBytes) {
            return true;
        }
        if (!share.tryHold((bodyBytes - coveredBodyBytes) * HEAP_BYTES_PER_BODY_BYTE)) {
            return false;
        }
        coveredBodyBytes = bodyBytes;
        return true;
    }

    /**
     * Holds a whole answer until the exchange completes: a client that reads it slowly keeps it in memory that long.
     * What the body held covers as much of it (the request's own bytes are garbage by the time it is answered); only
     * the rest is reserved. False, holding nothing more, when that does not fit the budget.
     */
    synchronized boolean holdAnswer(long answerBytes) {
        long beyondTheBody = answerBytes - coveredBodyBytes * HEAP_BYTES_PER_BODY_BYTE;
        return beyondTheBody <= 0 || share.tryHold(beyondTheBody);
    }

    void release() {
        share.end();
    }
}
