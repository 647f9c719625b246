package io.minilb.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import io.undertow.util.SameThreadExecutor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * An exchange answered later, from timers and callbacks rather than from its handler, without any thread
 * waiting for it. It runs everything on the exchange's IO thread, so its state needs no locks; only
 * {@link #execute} may be called from other threads. It notices when the client closes the connection before the
 * answer is complete, and then drops pending work and runs the cleanups.
 */
public final class AsyncExchange {

    /** Follows exchanges from start to finish, e.g. to count requests in flight. */
    public interface Tracker {
        Tracker NONE = new Tracker() {
            @Override
            public void started() {
            }

            @Override
            public void finished(boolean cancelledByClient) {
            }
        };

        void started();

        void finished(boolean cancelledByClient);
    }

    private final HttpServerExchange exchange;
    private final Tracker tracker;
    private final long startNanos = System.nanoTime();
    private final Set<XnioExecutor.Key> timers = new HashSet<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private boolean finished;
    private boolean cancelledByClient;

    private AsyncExchange(HttpServerExchange exchange, Tracker tracker) {
        this.exchange = exchange;
        this.tracker = tracker;
    }

    /**
     * Takes the exchange over from its handler, so Undertow does not end it when the handler returns. Call on
     * the IO thread, within a handler or a {@link RequestBodies} callback, once the request body has been read.
     */
    public static AsyncExchange begin(HttpServerExchange exchange, Tracker tracker) {
        AsyncExchange async = new AsyncExchange(exchange, tracker);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
        });
        tracker.started();
        ClientDisconnectWatcher.watch(exchange, async::clientGone);
        return async;
    }

    public HttpServerExchange exchange() {
        return exchange;
    }

    public boolean isFinished() {
        return finished;
    }

    public boolean isCancelledByClient() {
        return cancelledByClient;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Runs a task on the IO thread unless the exchange has finished by then. Callable from any thread. */
    public void execute(Runnable task) {
        exchange.getIoThread().execute(() -> {
            if (!finished) {
                task.run();
            }
        });
    }

    /** Runs a task after a delay (at once when not positive) unless the exchange has finished by then. */
    public void schedule(long delayMillis, Runnable task) {
        if (delayMillis <= 0) {
            if (!finished) {
                task.run();
            }
            return;
        }
        XnioExecutor.Key[] key = new XnioExecutor.Key[1];
        key[0] = exchange.getIoThread().executeAfter(() -> {
            timers.remove(key[0]);
            if (!finished) {
                task.run();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        timers.add(key[0]);
    }

    /** Runs once the exchange finishes, however it does (answered, failed, dropped, client gone). */
    public void onFinish(Runnable cleanup) {
        if (finished) {
            cleanup.run();
        } else {
            cleanups.add(cleanup);
        }
    }

    /**
     * Answers with a complete JSON body, unless already finished. The body is serialized once, in chunks, and
     * written as fast as the client reads it: a body of tens of MB costs its size once, not a tree, a string and
     * an array of it.
     */
    public void respond(int status, JsonNode body) {
        if (!finish(false)) {
            return;
        }
        ByteChunks bytes = new ByteChunks();
        Json.writeTo(bytes, body);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Responses.JSON).put(Headers.CONTENT_LENGTH, bytes.size());
        ChannelWriter writer = new ChannelWriter(exchange.getResponseChannel(), new ChannelWriter.Events() {
            @Override
            public void flushed() {
            }

            @Override
            public void failed(IOException e) {
                IoUtils.safeClose(exchange.getConnection());
            }
        });
        writer.write(bytes.drain());
        writer.end();
    }

    /** Starts a server-sent event stream; the exchange finishes when the stream ends. */
    public SseStream openStream(Integer dropAfterFrames) {
        return SseStream.open(this, dropAfterFrames);
    }

    /** Closes the connection without (completing) an answer, as a crashing server would. */
    public void drop() {
        if (finish(false)) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** Marks the exchange as done: pending tasks are dropped and cleanups run. False if it already was. */
    boolean finish(boolean byClient) {
        if (finished) {
            return false;
        }
        finished = true;
        cancelledByClient = byClient;
        timers.forEach(XnioExecutor.Key::remove);
        timers.clear();
        cleanups.forEach(Runnable::run);
        cleanups.clear();
        tracker.finished(byClient);
        return true;
    }

    /** The client closed the connection (or it broke) before the answer was complete. */
    void clientGone() {
        if (finish(true)) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }
}
