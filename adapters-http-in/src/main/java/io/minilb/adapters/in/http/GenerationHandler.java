package io.minilb.adapters.in.http;

import io.minilb.application.generation.Endpoint;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.limits.MemoryBudget;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;

/**
 * A generation route: reads the body without blocking and within its limits (see {@link BoundedBodyReader}),
 * refuses what no backend should see (too big: 413, not a usable JSON object: 400), and hands the rest to the use
 * case.
 */
final class GenerationHandler implements HttpHandler {

    private final RouteGenerationUseCase generations;
    private final Endpoint endpoint;
    private final BoundedBodyReader.Limits bodyLimits;
    private final int streamBufferBytes;

    GenerationHandler(
            RouteGenerationUseCase generations, Endpoint endpoint, HttpServerSettings settings, MemoryBudget budget) {
        this.generations = generations;
        this.endpoint = endpoint;
        this.bodyLimits = new BoundedBodyReader.Limits(
                (int) settings.maxPayloadBytes(), settings.requestReadTimeout(), budget);
        this.streamBufferBytes = settings.streamBufferBytes();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        BoundedBodyReader.read(exchange, bodyLimits, this::onBody, this::onBodyFailure);
    }

    private void onBody(HttpServerExchange exchange, byte[] body) {
        RequestTimeline timeline = RequestTimeline.of(exchange);
        if (timeline != null) {
            timeline.bodyReceived();
        }
        GenerationRequest request;
        try {
            request = GenerationBodyParser.parse(endpoint, body, RoutingKeyHeader.from(exchange.getRequestHeaders()))
                    .withContext(RequestContextHandler.context(exchange));
        } catch (InvalidRequestException e) {
            Responses.error(exchange, 400, ErrorBody.INVALID_REQUEST, e.getMessage());
            return;
        }
        // Dispatching keeps Undertow from ending the exchange: the answer comes later, from the use case.
        exchange.dispatch(SameThreadExecutor.INSTANCE,
                () -> GenerationResponder.start(exchange, generations, request, streamBufferBytes));
    }

    private void onBodyFailure(HttpServerExchange exchange, IOException failure) {
        BoundedBodyReader.refuse(exchange, failure, bodyLimits);
    }
}
