package io.minilb.adapters.in.http;

import io.minilb.adapters.in.http.RouteTable.Route;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lets a request reach its route only with the key the route's {@link RouteAccess} class needs, before anything of
 * the request is read or sent on. Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}: the time
 * taken says nothing of how much of a guess was right, nor of the key's length.
 */
final class AccessGuard implements HttpHandler {

    static final String AUTHENTICATION_ERROR = "authentication_error";
    static final String PERMISSION_ERROR = "permission_error";

    private static final String BEARER = "bearer ";

    private final HttpHandler next;
    /** The digests that open this route; empty: open. */
    private final List<byte[]> accepted;
    /** The client key's digest on an admin route that needs the admin key: told apart to say why it fails. */
    private final Optional<byte[]> clientKeyOnly;

    private AccessGuard(HttpHandler next, List<byte[]> accepted, Optional<byte[]> clientKeyOnly) {
        this.next = next;
        this.accepted = accepted;
        this.clientKeyOnly = clientKeyOnly;
    }

    /** Every route guarded by its class; a route without one is a programming error, refused at startup. */
    static List<Route> guardAll(List<Route> routes, AccessKeys keys) {
        return routes.stream().map(route -> {
            RouteAccess access = RouteAccess.of(route.path()).orElseThrow(() -> new IllegalStateException(
                    "route " + route.path() + " has no access class: add it to RouteAccess"));
            return new Route(route.methods(), route.path(), guard(route.handler(), access, keys));
        }).toList();
    }

    static HttpHandler guard(HttpHandler handler, RouteAccess access, AccessKeys keys) {
        Optional<byte[]> client = keys.apiKey().map(AccessGuard::digest);
        Optional<byte[]> admin = keys.adminApiKey().map(AccessGuard::digest);
        return switch (access) {
            case OPEN -> handler;
            // Without a client key, generation stays open even when an admin key is set; with one, the admin key
            // opens it too, so an operator needs one key for everything.
            case SERVING -> client.isEmpty() ? handler
                    : new AccessGuard(handler, Stream.concat(client.stream(), admin.stream()).toList(), Optional.empty());
            case ADMIN -> admin.isPresent() ? new AccessGuard(handler, List.of(admin.get()), client)
                    : client.isPresent() ? new AccessGuard(handler, List.of(client.get()), Optional.empty()) : handler;
        };
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<byte[]> presented = bearerToken(exchange).map(AccessGuard::digest);
        if (presented.isPresent() && accepted.stream().anyMatch(key -> MessageDigest.isEqual(key, presented.get()))) {
            next.handleRequest(exchange);
            return;
        }
        if (presented.isPresent() && clientKeyOnly.isPresent()
                && MessageDigest.isEqual(clientKeyOnly.get(), presented.get())) {
            Responses.error(exchange, 403, PERMISSION_ERROR, "this route needs the admin key (--admin-api-key)");
            return;
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        Responses.error(exchange, 401, AUTHENTICATION_ERROR, presented.isEmpty()
                ? "missing API key: send 'Authorization: Bearer KEY'"
                : "invalid API key");
    }

    private static Optional<String> bearerToken(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).strip());
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
