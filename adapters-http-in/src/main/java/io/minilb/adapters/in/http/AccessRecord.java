package io.minilb.adapters.in.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;

/**
 * What the access log says of one request, gathered while it runs: the pair of its last attempt (set on a backend
 * thread), and the time of the first byte and the bytes written to the client (counted by a conduit wrapped around
 * the response, on the IO thread).
 */
final class AccessRecord {

    static final AttachmentKey<AccessRecord> KEY = AttachmentKey.create(AccessRecord.class);

    final long startNanos;
    private volatile String prefill;
    private volatile String decode;
    private volatile int attempts;
    private volatile long firstByteNanos;
    private volatile long bytesSent;

    private AccessRecord(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Starts the record of this exchange and wraps its response to count what is written. */
    static AccessRecord start(HttpServerExchange exchange, long startNanos) {
        var record = new AccessRecord(startNanos);
        exchange.putAttachment(KEY, record);
        exchange.addResponseWrapper((factory, ignored) -> record.new CountingConduit(factory.create()));
        return record;
    }

    /** Notes the pair an attempt went to; a no-op when the access log is off. */
    static void routed(HttpServerExchange exchange, String prefillUrl, String decodeUrl, int attempt) {
        AccessRecord record = exchange.getAttachment(KEY);
        if (record != null) {
            record.prefill = prefillUrl;
            record.decode = decodeUrl;
            record.attempts = attempt;
        }
    }

    String prefill() {
        return prefill;
    }

    String decode() {
        return decode;
    }

    int attempts() {
        return attempts;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** When the first byte went out, or {@code orElse} when none did (an empty answer, a client gone). */
    long firstByteNanos(long orElse) {
        long first = firstByteNanos;
        return first == 0 ? orElse : first;
    }

    private void wrote(long bytes) {
        if (bytes > 0) {
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
            bytesSent += bytes;
        }
    }

    /** Counts the body bytes that reach the connection; only the exchange's IO thread writes. */
    private final class CountingConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {

        CountingConduit(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int written = super.write(src);
            wrote(written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
            long written = super.write(srcs, offs, len);
            wrote(written);
            return written;
        }

        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            int written = super.writeFinal(src);
            wrote(written);
            return written;
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
            long written = super.writeFinal(srcs, offs, len);
            wrote(written);
            return written;
        }

        @Override
        public long transferFrom(FileChannel src, long position, long count) throws IOException {
            long written = super.transferFrom(src, position, count);
            wrote(written);
            return written;
        }

        @Override
        public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
            long written = super.transferFrom(source, count, throughBuffer);
            wrote(written);
            return written;
        }
    }
}
