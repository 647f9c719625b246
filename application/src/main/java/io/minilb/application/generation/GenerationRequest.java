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
 * @param context the request's id and the headers forwarded to both servers
 */
public record GenerationRequest(
        Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob, OptionalInt batchSize,
        RoutingContext routing, RequestContext context) {

    public GenerationRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(batchSize, "batchSize");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(context, "context");
        if (batchSize.isPresent() && batchSize.getAsInt() < 1) {
            throw new IllegalArgumentException("a batch needs at least one item");
        }
    }

    /** A request with nothing to route by, without id or forwarded headers. */
    public GenerationRequest(
            Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob, OptionalInt batchSize) {
        this(endpoint, payload, stream, returnLogprob, batchSize, RoutingContext.NONE);
    }

    /** A request without id or forwarded headers. */
    public GenerationRequest(Endpoint endpoint, Payload payload, boolean stream, boolean returnLogprob,
            OptionalInt batchSize, RoutingContext routing) {
        this(endpoint, payload, stream, returnLogprob, batchSize, routing, RequestContext.empty());
    }

    public GenerationRequest withContext(RequestContext newContext) {
        return new GenerationRequest(endpoint, payload, stream, returnLogprob, batchSize, routing, newContext);
    }

    public boolean isBatch() {
        return batchSize.isPresent();
    }
}
