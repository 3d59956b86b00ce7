package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Exchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Where a credential travels on a request: the {@code Authorization} header with a scheme, another
 * header, a cookie, or (only when a user asks for it) a query parameter. It finds the credential and
 * removes it again, so that the request forwarded upstream does not carry it.
 *
 * <pre>{@code
 * CredentialLocation.authorization("Bearer");   // Authorization: Bearer <token>
 * CredentialLocation.header("x-api-key");       // what Anthropic clients send
 * CredentialLocation.cookie("session");
 * }</pre>
 */
public sealed interface CredentialLocation {

    /** {@code Authorization: <scheme> <credential>}, the scheme compared without regard to case. */
    static CredentialLocation authorization(String scheme) {
        return new Authorization(scheme);
    }

    /** The whole value of a request header. */
    static CredentialLocation header(String name) {
        return new Header(name);
    }

    /** The value of a cookie. */
    static CredentialLocation cookie(String name) {
        return new Cookie(name);
    }

    /** A query parameter; removed from the forwarded query. Tokens in URLs end up in logs: use sparingly. */
    static CredentialLocation query(String name) {
        return new Query(name);
    }

    /**
     * The credentials found here: none, one, or several (two {@code Authorization} headers, a cookie
     * given twice), which authenticators refuse as ambiguous.
     */
    List<String> find(Exchange exchange);

    /** Removes the credential from the request. */
    void remove(Exchange exchange);

    /** {@code Authorization: <scheme> <credential>}. */
    record Authorization(String scheme) implements CredentialLocation {
        public Authorization {
            requireNonNull(scheme, "scheme");
        }

        @Override
        public List<String> find(Exchange exchange) {
            List<String> values = exchange.requestHeaders().getValuesList(HttpHeader.AUTHORIZATION);
            if (values.size() > 1) {
                return values; // ambiguous whatever the schemes: refused, never guessed
            }
            List<String> found = new ArrayList<>(1);
            for (String value : values) {
                String trimmed = value.strip();
                int space = trimmed.indexOf(' ');
                if (space > 0 && trimmed.substring(0, space).equalsIgnoreCase(scheme)) {
                    found.add(trimmed.substring(space + 1).strip());
                }
            }
            return found;
        }

        @Override
        public void remove(Exchange exchange) {
            exchange.requestHeaders().remove(HttpHeader.AUTHORIZATION);
        }
    }

    /** A request header. */
    record Header(String name) implements CredentialLocation {
        public Header {
            requireNonNull(name, "name");
        }

        @Override
        public List<String> find(Exchange exchange) {
            return exchange.requestHeaders().getValuesList(name).stream().map(String::strip).toList();
        }

        @Override
        public void remove(Exchange exchange) {
            exchange.requestHeaders().remove(name);
        }
    }

    /** A cookie in the {@code Cookie} header(s). */
    record Cookie(String name) implements CredentialLocation {
        public Cookie {
            requireNonNull(name, "name");
        }

        @Override
        public List<String> find(Exchange exchange) {
            List<String> found = new ArrayList<>(1);
            for (String header : exchange.requestHeaders().getValuesList(HttpHeader.COOKIE)) {
                for (String pair : header.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                        found.add(unquote(pair.substring(equals + 1).strip()));
                    }
                }
            }
            return found;
        }

        @Override
        public void remove(Exchange exchange) {
            List<String> kept = new ArrayList<>();
            for (String header : exchange.requestHeaders().getValuesList(HttpHeader.COOKIE)) {
                for (String pair : header.split(";")) {
                    int equals = pair.indexOf('=');
                    if (!(equals > 0 && pair.substring(0, equals).strip().equals(name)) && !pair.isBlank()) {
                        kept.add(pair.strip());
                    }
                }
            }
            exchange.requestHeaders().remove(HttpHeader.COOKIE);
            if (!kept.isEmpty()) {
                exchange.requestHeaders().add(new HttpField(HttpHeader.COOKIE, String.join("; ", kept)));
            }
        }

        private static String unquote(String value) {
            return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                    ? value.substring(1, value.length() - 1) : value;
        }
    }

    /** A query parameter. */
    record Query(String name) implements CredentialLocation {
        public Query {
            requireNonNull(name, "name");
        }

        @Override
        public List<String> find(Exchange exchange) {
            return exchange.queryParameters().getOrDefault(name, List.of());
        }

        @Override
        public void remove(Exchange exchange) {
            String query = exchange.query();
            if (query == null || query.isEmpty()) {
                return;
            }
            List<String> kept = new ArrayList<>();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                if (!URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    kept.add(pair);
                }
            }
            exchange.query(kept.isEmpty() ? null : String.join("&", kept));
        }
    }
}
