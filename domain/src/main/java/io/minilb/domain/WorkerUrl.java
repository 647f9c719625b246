package io.minilb.domain;

import java.net.URI;
import java.net.URISyntaxException;

/** Validates worker base URLs once, at configuration time, so routing never meets a bad one. */
final class WorkerUrl {

    private WorkerUrl() {
    }

    /** Returns the URL without a trailing slash, or throws naming what is wrong with it. */
    static String normalize(String url) {
        URI uri = parse(url);
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException(
                    "worker URL '" + url + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("worker URL '" + url + "' has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("worker URL '" + url + "' must not have a query or fragment");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The host as SGLang joins it with a port: IPv6 literals keep their brackets. */
    static String host(String url) {
        return parse(url).getHost();
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("worker URL must not be empty");
        }
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("worker URL '" + url + "' is malformed: " + e.getReason());
        }
    }
}
