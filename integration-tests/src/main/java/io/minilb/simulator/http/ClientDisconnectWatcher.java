package io.minilb.simulator.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Notices a client closing its connection while its request is still being answered. Undertow stops reading
 * from a connection once a request is parsed, so a client hanging up goes unnoticed until a write fails, and
 * never while a request hangs. This watches the socket for end-of-stream meanwhile; any bytes that arrive
 * instead (a pipelined request) are handed back to Undertow.
 */
final class ClientDisconnectWatcher {
    private ClientDisconnectWatcher() {
    }

    /** Call once the request body has been read. */
    static void watch(HttpServerExchange exchange, Runnable onDisconnect) {
        if (!(exchange.getConnection() instanceof HttpServerConnection connection) || connection.getExtraBytes() != null) {
            return; // not HTTP/1.1, or a pipelined request is already buffered: the client is evidently there
        }
        StreamSourceConduit socket = connection.getOriginalSourceConduit();
        ReadReadyHandler undertows = new ReadReadyHandler.ChannelListenerHandler<>(connection.getChannel().getSourceChannel());
        socket.setReadReadyHandler(new ReadReadyHandler() {
            @Override
            public void readReady() {
                PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
                try {
                    int read = socket.read(pooled.getBuffer());
                    if (read == 0) {
                        pooled.close();
                        return;
                    }
                    socket.suspendReads();
                    socket.setReadReadyHandler(undertows);
                    if (read > 0) {
                        pooled.getBuffer().flip();
                        connection.ungetRequestBytes(pooled);
                    } else {
                        pooled.close();
                        onDisconnect.run();
                    }
                } catch (IOException e) {
                    pooled.close();
                    onDisconnect.run();
                }
            }

            @Override
            public void forceTermination() {
            }

            @Override
            public void terminated() {
            }
        });
        exchange.addExchangeCompleteListener((ex, next) -> {
            socket.setReadReadyHandler(undertows); // before Undertow resumes reading the next request
            next.proceed();
        });
        socket.resumeReads();
    }
}
