package io.minilb.adapters.out.http;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.locks.Lock;
import org.apache.hc.core5.function.Decorator;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.Command;
import org.apache.hc.core5.reactor.IOEventHandler;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.reactor.IOSessionListener;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes a connection's end of stream reach HttpCore only in an input event that has not read any
 * data yet, so the data that arrived just before the server closed the connection is never lost.
 *
 * <p>Why: httpcore5's {@code ChunkDecoder.read} (5.4) copies the chunks it finds into the caller's
 * buffer and, in the same call, reads the socket again at every chunk boundary. When that read hits
 * the end of stream of a chunked body that was never terminated (a server crashing mid-stream), it
 * throws ({@code ConnectionClosedException}, {@code MalformedChunkCodingException}) with the chunks
 * it already copied still in the buffer, which the connection then never hands to the response
 * consumer. A server that flushes a few SSE frames and then drops the connection thus lost the
 * frames that arrived in the same read as the close, or all of them (and its status line with them,
 * so the client got a failure instead of a started stream).
 *
 * <p>So {@link #DECORATOR} wraps each session: once a read of the current input event returned data,
 * an end of stream is answered as "nothing to read yet" instead. The decoder then returns what it
 * decoded, which the consumer gets, and as the socket is still readable (at its end) the reactor
 * starts the next input event at once, whose first read reports the end of stream with nothing
 * decoded before it. {@link #LISTENER} marks where each input event begins: the reactor calls it
 * with the decorated session right before the session's handler. IO thread only, like the session.
 */
final class DeferredEndOfStream {

    /** Wraps every session of the client; installed by {@link BackendHttpClients}. */
    static final Decorator<IOSession> DECORATOR = Session::new;

    /** Starts each input event of a decorated session; installed by {@link BackendHttpClients}. */
    static final IOSessionListener LISTENER = new IOSessionListener() {

        @Override
        public void inputReady(IOSession session) {
            if (session instanceof Session deferring) {
                deferring.inputEventStarts();
            }
        }

        @Override
        public void connected(IOSession session) {
        }

        @Override
        public void startTls(IOSession session) {
        }

        @Override
        public void outputReady(IOSession session) {
        }

        @Override
        public void timeout(IOSession session) {
        }

        @Override
        public void exception(IOSession session, Exception ex) {
        }

        @Override
        public void disconnected(IOSession session) {
        }
    };

    private DeferredEndOfStream() {
    }

    /** A session whose end of stream waits for an input event of its own. */
    static final class Session implements IOSession {

        private final IOSession session;
        /** Set by the listener: reads now belong to an input event it saw begin. */
        private boolean inInputEvent;
        /** A read of the current input event returned data. */
        private boolean dataRead;

        Session(IOSession session) {
            this.session = session;
        }

        void inputEventStarts() {
            inInputEvent = true;
            dataRead = false;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if ((session.getEventMask() & SelectionKey.OP_READ) == 0) {
                // The response consumer's read window is spent (or input is suspended). httpcore5 stops asking
                // for input events then, but its HTTP/1.1 input loop keeps decoding while its buffer has data,
                // and the chunk decoder refills that buffer from the socket: a fast server would be read on
                // without bound. Nothing more is read until the window opens again.
                return 0;
            }
            int read = session.read(dst);
            if (read > 0) {
                dataRead = true;
            } else if (read < 0 && inInputEvent && dataRead) {
                // Still readable at its end: the reactor comes back at once, and reports it then.
                return 0;
            }
            return read;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return session.write(src);
        }

        @Override
        public boolean isOpen() {
            return session.isOpen();
        }

        @Override
        public IOEventHandler getHandler() {
            return session.getHandler();
        }

        @Override
        public void upgrade(IOEventHandler handler) {
            session.upgrade(handler);
        }

        @Override
        public Lock getLock() {
            return session.getLock();
        }

        @Override
        public void enqueue(Command command, Command.Priority priority) {
            session.enqueue(command, priority);
        }

        @Override
        public boolean hasCommands() {
            return session.hasCommands();
        }

        @Override
        public Command poll() {
            return session.poll();
        }

        @Override
        public ByteChannel channel() {
            return session.channel();
        }

        @Override
        public SocketAddress getRemoteAddress() {
            return session.getRemoteAddress();
        }

        @Override
        public SocketAddress getLocalAddress() {
            return session.getLocalAddress();
        }

        @Override
        public int getEventMask() {
            return session.getEventMask();
        }

        @Override
        public void setEventMask(int ops) {
            session.setEventMask(ops);
        }

        @Override
        public void setEvent(int op) {
            session.setEvent(op);
        }

        @Override
        public void clearEvent(int op) {
            session.clearEvent(op);
        }

        @Override
        public void close() {
            session.close();
        }

        @Override
        public void close(CloseMode closeMode) {
            session.close(closeMode);
        }

        @Override
        public Status getStatus() {
            return session.getStatus();
        }

        @Override
        public Timeout getSocketTimeout() {
            return session.getSocketTimeout();
        }

        @Override
        public void setSocketTimeout(Timeout timeout) {
            session.setSocketTimeout(timeout);
        }

        @Override
        public long getLastReadTime() {
            return session.getLastReadTime();
        }

        @Override
        public long getLastWriteTime() {
            return session.getLastWriteTime();
        }

        @Override
        public long getLastEventTime() {
            return session.getLastEventTime();
        }

        @Override
        public void updateReadTime() {
            session.updateReadTime();
        }

        @Override
        public void updateWriteTime() {
            session.updateWriteTime();
        }

        @Override
        public String getId() {
            return session.getId();
        }

        @Override
        public String toString() {
            return session.toString();
        }
    }
}
