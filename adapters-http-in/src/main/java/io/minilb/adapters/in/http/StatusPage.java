package io.minilb.adapters.in.http;

import io.minilb.adapters.in.http.RouteTable.Route;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The status page: {@code GET /} and {@code /status} serve one self-contained HTML page (inline style and script, no
 * other asset), which polls {@value #DATA_PATH} and computes its recent figures itself. The page sends the admin key
 * it is given in its URL fragment ({@code /status#key=KEY}, never sent to a server) as a bearer token.
 */
final class StatusPage {

    static final String DATA_PATH = "/status.json";

    private static final String RESOURCE = "status.html";
    private static final HttpString CONTENT_SECURITY_POLICY = new HttpString("Content-Security-Policy");
    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");

    private final byte[] html;
    /** Only the page's own script runs, and it may only fetch from here: an injected tag would do nothing. */
    private final String contentSecurityPolicy;

    private StatusPage() {
        String page = load();
        this.html = page.getBytes(StandardCharsets.UTF_8);
        this.contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; "
                + "script-src '" + scriptHash(page) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    static List<Route> routes(HttpHandler data) {
        StatusPage page = new StatusPage();
        return List.of(
                new Route(List.of("GET", "HEAD"), "/", page::serve),
                new Route(List.of("GET", "HEAD"), "/status", page::serve),
                new Route("GET", DATA_PATH, data));
    }

    private void serve(HttpServerExchange exchange) {
        exchange.getResponseHeaders()
                .put(Headers.CACHE_CONTROL, "no-store")
                .put(CONTENT_SECURITY_POLICY, contentSecurityPolicy)
                .put(CONTENT_TYPE_OPTIONS, "nosniff");
        Responses.send(exchange, 200, "text/html; charset=utf-8", html);
    }

    private static String load() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSP source that allows the page's one inline script, by the hash of its text. */
    static String scriptHash(String page) {
        int start = page.indexOf('>', page.indexOf("<script")) + 1;
        String script = page.substring(start, page.indexOf("</script>", start));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
