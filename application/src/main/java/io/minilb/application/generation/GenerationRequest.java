package io.minilb.application.generation;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the router needs to know of a generation request.
 *
 * @param batchSize present for a {@code /generate} batch (text list or input_ids list of lists),
 *     even of size 1, since a batch gets list-valued bootstrap fields
 * @param context the request's id and the headers forwarded to both servers
 */
public record GenerationRequest(
        Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob, OptionalInt batchSize,
        RequestContext context) {

    public GenerationRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(batchSize, "batchSize");
        Objects.requireNonNull(context, "context");
        if (batchSize.isPresent() && batchSize.getAsInt() < 1) {
            throw new IllegalArgumentException("a batch needs at least one item");
        }
    }

    /** A request without id or forwarded headers. */
    public GenerationRequest(
            Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob, OptionalInt batchSize) {
        this(endpoint, payload, stream, returnLogprob, batchSize, RequestContext.empty());
    }

    public GenerationRequest withContext(RequestContext newContext) {
        return new GenerationRequest(endpoint, payload, stream, returnLogprob, batchSize, newContext);
    }

    public boolean isBatch() {
        return batchSize.isPresent();
    }
}
