package dev.agentgateway.policy.csrf;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins in one comparable form, {@code scheme://host:port} in lower case with the port always
 * written for schemes with a default port (RFC 6454 compares scheme, host and port; {@code http://a}
 * and {@code http://a:80} are one origin).
 */
final class Origins {
    private Origins() {
    }

    /**
     * The serialised origin, or {@code null} when {@code origin} is not {@code scheme://host[:port]}
     * (an opaque {@code "null"}, a path, a query, user info, garbage).
     */
    static String normalize(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > 2048) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port);
    }

    /** The origin of a request that arrived with {@code scheme} for {@code authority} ({@code host[:port]}). */
    static String of(String scheme, String authority) {
        return scheme == null || authority == null ? null : normalize(scheme + "://" + authority);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
