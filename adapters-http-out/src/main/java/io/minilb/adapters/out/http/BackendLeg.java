package io.minilb.adapters.out.http;

import io.minilb.application.generation.RequestContext;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One POST to one backend server, its response streamed to a {@link LegListener} as it arrives.
 *
 * <p>Flow control: the connection reads at most {@link #READ_WINDOW} bytes ahead of the listener,
 * and not at all while the leg is paused, so a paused leg pushes back on its server through TCP.
 *
 * <p>Cancelling aborts the exchange and closes its connection (see {@link AbortableExecution}),
 * which is what tells the server to free the request's KV. It never blocks.
 */
final class BackendLeg implements AsyncResponseConsumer<Void> {

    private static final ContentType JSON = ContentType.create("application/json");
    private static final int READ_WINDOW = 64 * 1024;

    private final LegListener listener;
    private final Runnable onFinished;
    private final AbortableExecution execution = new AbortableExecution();
    private volatile boolean finished;
    /** Set with the response head, used at its end; both happen on the leg's IO thread. */
    private FutureCallback<Void> resultCallback;

    /** Why a leg stops reading; it reads again when no reason is left. */
    enum PauseReason {
        /** Decode frames wait for the prefill's logprobs. */
        AWAITING_LOGPROBS,
        /** The client has not taken what it was sent yet. */
        CLIENT_BACKLOG
    }

    private final Object flow = new Object();
    private final EnumSet<PauseReason> pausedFor = EnumSet.noneOf(PauseReason.class);
    private CapacityChannel parkedCapacity;

    /**
     * @param onFinished run once the leg is over, however it ended (also when cancelled)
     */
    BackendLeg(LegListener listener, Runnable onFinished) {
        this.listener = listener;
        this.onFinished = onFinished;
    }

    /** @param headers the request's forwarded headers and the worker key */
    void start(CloseableHttpAsyncClient client, URI uri, byte[] body, OutboundHeaders headers,
            RequestContext context) {
        var head = new BasicHttpRequest(Method.POST, uri);
        headers.addTo(head, context);
        var request = new BasicRequestProducer(head, new BasicAsyncEntityProducer(body, JSON));
        execution.started(client.execute(request, this, null, execution.context(), new Outcome()));
    }

    /**
     * Aborts the leg, closing its connection if the response is not complete yet. Idempotent. A leg
     * whose response is complete is left alone: its connection goes back to the pool right after.
     */
    void cancel() {
        if (!finished) {
            execution.abort();
        }
    }

    boolean isRunning() {
        return !finished;
    }

    /** Stops reading from the server once the current window is used up. */
    void pause(PauseReason reason) {
        synchronized (flow) {
            pausedFor.add(reason);
        }
    }

    /** Reads again once no other reason holds the leg. */
    void resume(PauseReason reason) {
        CapacityChannel capacity;
        synchronized (flow) {
            pausedFor.remove(reason);
            if (!pausedFor.isEmpty()) {
                return;
            }
            capacity = parkedCapacity;
            parkedCapacity = null;
        }
        if (capacity != null) {
            try {
                capacity.update(READ_WINDOW);
            } catch (IOException e) {
                listener.onFailure(e);
                cancel();
            }
        }
    }

    @Override
    public void consumeResponse(
            HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<Void> resultCallback) {
        this.resultCallback = resultCallback;
        Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
        listener.onHead(response.getCode(), contentType == null ? null : contentType.getValue());
        if (entity == null) {
            resultCallback.completed(null);
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx answers carry nothing for us.
    }

    @Override
    public void updateCapacity(CapacityChannel capacity) throws IOException {
        synchronized (flow) {
            if (!pausedFor.isEmpty()) {
                parkedCapacity = capacity;
                return;
            }
        }
        capacity.update(READ_WINDOW);
    }

    @Override
    public void consume(ByteBuffer src) {
        listener.onData(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        resultCallback.completed(null);
    }

    @Override
    public void failed(Exception cause) {
        // Reported once, by the execution's future (Outcome), which also sees failures before a response.
    }

    @Override
    public void releaseResources() {
        // Nothing held.
    }

    /** How the execution ended: exactly one of these runs per leg. */
    private final class Outcome implements FutureCallback<Void> {

        @Override
        public void completed(Void result) {
            finished = true;
            try {
                listener.onEnd();
            } finally {
                onFinished.run();
            }
        }

        @Override
        public void failed(Exception error) {
            finished = true;
            try {
                listener.onFailure(error);
            } finally {
                onFinished.run();
            }
        }

        /** Usually our own cancel, which the exchange ignores; otherwise (client shutdown) a failure. */
        @Override
        public void cancelled() {
            failed(new CancellationException("cancelled"));
        }
    }
}
