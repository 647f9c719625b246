package io.minilb.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https workers still work although the pool makes its TLS strategy only on the first https connection: over
 * HTTP/1.1 (the server below would pick HTTP/2 if offered), with the JDK's trust store checking certificates.
 */
class HttpsBackendTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private static KeyStore keys;
    private static Undertow tlsServer;
    private static String tlsUrl;
    private static final AtomicReference<String> lastProtocol = new AtomicReference<>();

    @BeforeAll
    static void startTlsServer(@TempDir Path dir) throws Exception {
        keys = selfSignedFor127001(dir.resolve("server.p12"));
        var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        tlsServer = Undertow.builder()
                .addHttpsListener(0, "127.0.0.1", serverContext)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setHandler(exchange -> {
                    lastProtocol.set(exchange.getProtocol().toString());
                    exchange.getResponseSender().send("{}");
                })
                .build();
        tlsServer.start();
        var address = (InetSocketAddress) tlsServer.getListenerInfo().get(0).getAddress();
        tlsUrl = "https://127.0.0.1:" + address.getPort();
    }

    @AfterAll
    static void stopTlsServer() {
        tlsServer.stop();
    }

    @Test
    void theTlsStrategyIsMadeOnTheFirstHttpsRequestOnlyAndSpeaksHttp1() throws Exception {
        var made = new AtomicInteger();
        var lazy = new LazyTlsStrategy(() -> {
            made.incrementAndGet();
            return trusting(keys);
        });
        var settings = BackendClientSettings.defaults();
        try (var plain = StubServer.start(exchange -> exchange.respond(200, "application/json", "{}"));
                CloseableHttpAsyncClient client = BackendHttpClients.start(settings,
                        BackendHttpClients.pool(settings, lazy))) {
            assertThat(get(client, plain.url() + "/health").getCode()).isEqualTo(200);
            assertThat(made).hasValue(0);

            assertThat(get(client, tlsUrl + "/health").getCode()).isEqualTo(200);
            assertThat(lastProtocol).hasValue("HTTP/1.1");
            assertThat(get(client, tlsUrl + "/generate").getCode()).isEqualTo(200);
            assertThat(made).hasValue(1);
        }
    }

    @Test
    void theDefaultPoolChecksCertificatesAgainstTheJdkTrustStore() throws Exception {
        try (CloseableHttpAsyncClient client = BackendHttpClients.start(BackendClientSettings.defaults())) {
            var answer = client.execute(SimpleRequestBuilder.get(tlsUrl + "/health").build(), null);

            assertThat(answer).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withRootCauseInstanceOf(CertPathBuilderException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class));
        }
    }

    private static SimpleHttpResponse get(CloseableHttpAsyncClient client, String url) throws Exception {
        return client.execute(SimpleRequestBuilder.get(url).build(), null).get(10, TimeUnit.SECONDS);
    }

    /** What the default strategy is, but trusting the test server's certificate. */
    private static TlsStrategy trusting(KeyStore trusted) {
        try {
            var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return new DefaultClientTlsStrategy(context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key and self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static KeyStore selfSignedFor127001(Path file) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
