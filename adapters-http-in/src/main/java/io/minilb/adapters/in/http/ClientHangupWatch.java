package io.minilb.adapters.in.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Notices a client that closes its connection while its answer is still being prepared. Undertow reads nothing from
 * an HTTP/1.1 connection during an exchange, so a hang-up would otherwise surface only when the answer is written,
 * long after the servers spent their KV cache on it. The watch reads the connection once the request body is in:
 * end of stream or an error means the client is gone; bytes mean it sent its next request early, and they are
 * handed back to Undertow, which parses them after this exchange. When the exchange completes Undertow installs its
 * own read listener again, so nothing of the watch outlives the request.
 */
final class ClientHangupWatch implements ChannelListener<ConduitStreamSourceChannel> {

    private final HttpServerConnection connection;
    private final Runnable onHangup;

    private ClientHangupWatch(HttpServerConnection connection, Runnable onHangup) {
        this.connection = connection;
        this.onHangup = onHangup;
    }

    /** Starts watching once the request body has been read completely. Runs on the exchange's IO thread. */
    static void start(HttpServerExchange exchange, Runnable onHangup) {
        if (!(exchange.getConnection() instanceof HttpServerConnection connection) || connection.getExtraBytes() != null) {
            return; // not HTTP/1.1, or the next request is already buffered: the read side stays Undertow's
        }
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        // The exchange left the finished request-body conduit in place; read the socket itself, as Undertow
        // does again when the exchange completes.
        source.setConduit(connection.getOriginalSourceConduit());
        source.getReadSetter().set(new ClientHangupWatch(connection, onHangup));
        source.resumeReads();
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        try {
            int read = source.read(pooled.getBuffer());
            if (read == 0) {
                return;
            }
            source.suspendReads();
            if (read > 0) {
                pooled.getBuffer().flip();
                connection.ungetRequestBytes(pooled);
                pooled = null;
            } else {
                onHangup.run();
            }
        } catch (IOException e) {
            source.suspendReads();
            onHangup.run();
        } finally {
            if (pooled != null) {
                pooled.close();
            }
        }
    }
}
