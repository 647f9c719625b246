package io.minilb.adapters.in.http;

import io.minilb.application.limits.MemoryBudget;
import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * Reads one request body without blocking, within three bounds: its size ({@code maxPayloadBytes}: a
 * {@link Receiver.RequestToLargeException} to the failure callback), the memory budget (503 {@code overloaded})
 * and the request read timeout, counted from the end of the head (408 {@code request_timeout}). A refused or
 * timed-out body closes the connection rather than reading the rest to skip it. A body of known length is reserved
 * in the budget before anything is read; a chunked one as its chunks arrive, so it holds only what it sent (reserving
 * the size limit instead would refuse every chunked body under a budget smaller than a few of them). The reservation
 * is held until the exchange completes, as the parsed body lives until then. Runs on the exchange's IO thread.
 */
final class BoundedBodyReader implements Receiver.PartialBytesCallback {

    /** Limits shared by every body of a route. */
    record Limits(int maxPayloadBytes, Duration readTimeout, MemoryBudget budget) {
    }

    private final Limits limits;
    private final Receiver.FullBytesCallback onBody;
    private final Receiver.ErrorCallback onFailure;
    private final BodyReservation reservation;
    private final ByteArrayOutputStream received;
    private final XnioExecutor.Key deadline;

    private BoundedBodyReader(HttpServerExchange exchange, Limits limits, long length,
            Receiver.FullBytesCallback onBody, Receiver.ErrorCallback onFailure, BodyReservation reservation) {
        this.limits = limits;
        this.onBody = onBody;
        this.onFailure = onFailure;
        this.reservation = reservation;
        this.received = new ByteArrayOutputStream((int) Math.max(length, 0));
        this.deadline = exchange.getIoThread().executeAfter(
                () -> timeOut(exchange), limits.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    static void read(HttpServerExchange exchange, Limits limits,
            Receiver.FullBytesCallback onBody, Receiver.ErrorCallback onFailure) {
        long length = exchange.getRequestContentLength(); // -1 when chunked
        if (length > limits.maxPayloadBytes()) {
            onFailure.error(exchange, new Receiver.RequestToLargeException());
            return;
        }
        var reservation = new BodyReservation(limits.budget());
        if (!reservation.cover(Math.max(length, 0))) {
            refuseOverloaded(exchange);
            return;
        }
        exchange.putAttachment(BodyReservation.KEY, reservation);
        var reader = new BoundedBodyReader(exchange, limits, length, onBody, onFailure, reservation);
        // However the exchange ends, including a client that leaves mid-body.
        exchange.addExchangeCompleteListener((completed, next) -> {
            reader.deadline.remove();
            reservation.release();
            next.proceed();
        });
        exchange.getRequestReceiver().receivePartialBytes(reader, reader::fail);
    }

    /** Answers a body that failed to arrive: 413 when too large; a client gone mid-body is dropped. */
    static void refuse(HttpServerExchange exchange, IOException failure, Limits limits) {
        if (exchange.isResponseStarted()) {
            return; // already answered (413, 503 or 408) while the body was still arriving
        }
        if (failure instanceof Receiver.RequestToLargeException) {
            exchange.setPersistent(false); // so the rest of the body is not read just to be discarded
            Responses.error(exchange, 413, ErrorBody.INVALID_REQUEST,
                    "request body is larger than the limit of " + limits.maxPayloadBytes() + " bytes");
            return;
        }
        Responses.dropClient(exchange); // the client went away mid-body
    }

    @Override
    public void handle(HttpServerExchange exchange, byte[] chunk, boolean last) {
        if (exchange.isResponseStarted()) {
            return; // already refused or timed out; the connection is closing
        }
        long size = (long) received.size() + chunk.length;
        if (size > limits.maxPayloadBytes()) {
            fail(exchange, new Receiver.RequestToLargeException()); // a chunked body, which declared no length
            return;
        }
        if (!reservation.cover(size)) {
            refuseOverloaded(exchange);
            return;
        }
        received.writeBytes(chunk);
        if (last) {
            deadline.remove();
            onBody.handle(exchange, received.toByteArray());
        }
    }

    private void fail(HttpServerExchange exchange, IOException failure) {
        deadline.remove();
        onFailure.error(exchange, failure);
    }

    private void timeOut(HttpServerExchange exchange) {
        if (exchange.isResponseStarted() || exchange.isComplete()) {
            return;
        }
        exchange.setPersistent(false);
        Responses.error(exchange, 408, ErrorBody.REQUEST_TIMEOUT, "the request body was not received within "
                + limits.readTimeout().toMillis() + " ms");
    }

    private static void refuseOverloaded(HttpServerExchange exchange) {
        exchange.setPersistent(false); // the body is not read
        Responses.error(exchange, 503, ErrorBody.OVERLOADED,
                "mini-lb holds as many request bodies as its memory budget allows; retry later");
    }
}
