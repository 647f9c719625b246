package io.minilb.application.generation;

import io.minilb.domain.selection.RoutingContext;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the router needs to know of a generation request.
 *
 * @param batchSize present for a {@code /generate} batch (text list or input_ids list of lists),
 *     even of size 1, since a batch gets list-valued bootstrap fields
 * @param routing what the selection policies route by: the routing key and the start of the prompt
 */
public record GenerationRequest(
        Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob, OptionalInt batchSize,
        RoutingContext routing) {

    public GenerationRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(batchSize, "batchSize");
        Objects.requireNonNull(routing, "routing");
        if (batchSize.isPresent() && batchSize.getAsInt() < 1) {
            throw new IllegalArgumentException("a batch needs at least one item");
        }
    }

    /** A request with nothing to route by. */
    public GenerationRequest(
            Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob, OptionalInt batchSize) {
        this(endpoint, payload, stream, returnLogprob, batchSize, RoutingContext.NONE);
    }

    public boolean isBatch() {
        return batchSize.isPresent();
    }
}
