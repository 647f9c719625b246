package io.minilb.adapters.out.http;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

/**
 * A TLS strategy made on the first TLS connection rather than with the pool: the default one loads an
 * {@code SSLContext} and the JDK's trust store, about a tenth of a second of startup, while backends are nearly
 * always plain HTTP. Workers may be added at runtime (worker API, discovery), so "no https worker configured" does
 * not mean it will never be needed. A failed creation is not kept: the next TLS connection tries again.
 */
final class LazyTlsStrategy implements TlsStrategy {

    private final Supplier<? extends TlsStrategy> factory;
    private volatile TlsStrategy strategy;

    LazyTlsStrategy(Supplier<? extends TlsStrategy> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment,
            Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
        strategy().upgrade(session, endpoint, attachment, handshakeTimeout, callback);
    }

    @Deprecated
    @Override
    public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress,
            SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
        return strategy().upgrade(session, host, localAddress, remoteAddress, attachment, handshakeTimeout);
    }

    private TlsStrategy strategy() {
        TlsStrategy made = strategy;
        if (made == null) {
            synchronized (this) {
                made = strategy;
                if (made == null) {
                    made = Objects.requireNonNull(factory.get(), "TLS strategy");
                    strategy = made;
                }
            }
        }
        return made;
    }
}
