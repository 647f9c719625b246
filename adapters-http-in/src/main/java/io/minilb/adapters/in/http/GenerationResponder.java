package io.minilb.adapters.in.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minilb.application.generation.GenerationCall;
import io.minilb.application.generation.GenerationFailure;
import io.minilb.application.generation.GenerationObserver;
import io.minilb.application.generation.GenerationRequest;
import io.minilb.application.generation.RequestLogging;
import io.minilb.application.port.in.RouteGenerationUseCase;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one generation's outcome to its client. Events arrive on backend threads and are carried over to the
 * exchange's IO thread, the only thread that touches the exchange. When the exchange ends before the outcome
 * arrived (the client hung up, or a write to it failed) the call is cancelled, so both servers free its KV.
 */
final class GenerationResponder implements GenerationObserver {

    private static final Logger LOG = LoggerFactory.getLogger(GenerationResponder.class);
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final byte[] DONE_FRAME = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServerExchange exchange;
    private final EventStreamWriter stream;
    /** Read on backend threads, so taken from the exchange once, on its IO thread. */
    private final RequestTimeline timeline;
    private boolean framed;
    private volatile boolean streaming;
    private volatile boolean outcomeArrived;

    private GenerationResponder(HttpServerExchange exchange, int streamBufferBytes) {
        this.exchange = exchange;
        this.stream = new EventStreamWriter(exchange, streamBufferBytes, () -> Responses.dropClient(exchange));
        RequestTimeline measured = RequestTimeline.of(exchange);
        this.timeline = measured != null ? measured : new RequestTimeline(System.nanoTime());
    }

    /** Routes the request and ties the call to the exchange. Runs on the exchange's IO thread. */
    static void start(HttpServerExchange exchange, RouteGenerationUseCase generations, GenerationRequest request,
            int streamBufferBytes) {
        var responder = new GenerationResponder(exchange, streamBufferBytes);
        GenerationCall call;
        try {
            call = generations.route(request, responder);
        } catch (RuntimeException e) {
            RequestLogging.run(request.context(), () -> LOG.error("routing {} failed", request.endpoint().path(), e));
            Responses.error(exchange, 500, ErrorBody.INTERNAL, "mini-lb could not route the request: " + e);
            return;
        }
        // Per exchange, so nothing accumulates on a keep-alive connection.
        exchange.addExchangeCompleteListener((completed, next) -> {
            if (!responder.outcomeArrived) {
                call.cancel();
            }
            next.proceed();
        });
        ClientHangupWatch.start(exchange, () -> Responses.dropClient(exchange));
        responder.stream.regulate(call);
    }

    @Override
    public void onDispatched() {
        timeline.dispatched();
    }

    @Override
    public void onResponse(int status, String contentType, byte[] body) {
        outcomeArrived = true;
        timeline.upstreamDone();
        BodyReservation reservation = exchange.getAttachment(BodyReservation.KEY);
        if (reservation != null && !reservation.holdAnswer(body.length)) {
            onIoThread(() -> Responses.error(exchange, 503, ErrorBody.OVERLOADED, "the answer (" + body.length
                    + " bytes) does not fit mini-lb's memory budget (--max-buffered-bytes) now; retry later"));
            return;
        }
        onIoThread(() -> {
            timeline.firstByte();
            Responses.send(exchange, status, contentType, body);
        });
    }

    @Override
    public void onRouted(String prefillUrl, String decodeUrl, int attempt) {
        AccessRecord.routed(exchange, prefillUrl, decodeUrl, attempt);
    }

    @Override
    public void onStreamStart() {
        streaming = true;
        stream.open();
    }

    /** Frames come one at a time from the backend, so {@code framed} needs no lock. */
    @Override
    public void onFrame(byte[] frame) {
        if (!framed) {
            framed = true;
            timeline.firstByte();
        }
        stream.write(frame);
    }

    @Override
    public void onStreamEnd() {
        outcomeArrived = true;
        timeline.upstreamDone();
        stream.close();
    }

    @Override
    public void onFailure(GenerationFailure failure) {
        outcomeArrived = true;
        timeline.upstreamDone();
        timeline.failed(failure.kind().type());
        ObjectNode error = ErrorBody.of(failure);
        if (streaming) {
            // Ends the stream the way SGLang ends a failed one, so clients stop reading.
            stream.write(dataFrame(Json.bytes(error)));
            stream.write(DONE_FRAME);
            stream.close();
        } else {
            onIoThread(() -> {
                timeline.firstByte();
                if (failure.kind() == GenerationFailure.Kind.QUEUE_FULL) {
                    // A slot or a token frees within about a second at the limits mini-lb is run with.
                    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
                }
                Responses.json(exchange, failure.kind().httpStatus(), error);
            });
        }
    }

    private void onIoThread(Runnable write) {
        exchange.getIoThread().execute(() -> {
            if (!exchange.isComplete()) {
                write.run();
            }
        });
    }

    private static byte[] dataFrame(byte[] json) {
        var frame = new ByteArrayOutputStream(json.length + 8);
        frame.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        frame.writeBytes(json);
        frame.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return frame.toByteArray();
    }
}
