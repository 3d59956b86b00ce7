package dev.agentgateway.core.internal.proxy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.agentgateway.core.Exchange;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/** Header rules of a reverse proxy (RFC 9110 section 7.6): hop-by-hop removal and forwarding headers. */
final class ProxyHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private ProxyHeaders() {
    }

    /** Copies end-to-end request headers, leaving out hop-by-hop ones, {@code Host}, framing and {@code Expect}. */
    static void copyRequestHeaders(HttpFields from, HttpFields.Mutable to, boolean preserveHost) {
        Set<String> named = connectionTokens(from);
        for (HttpField field : from) {
            String name = field.getLowerCaseName();
            if (HOP_BY_HOP.contains(name) || named.contains(name)) {
                if (name.equals("te") && field.getValue().toLowerCase(Locale.ROOT).contains("trailers")) {
                    to.add(HttpHeader.TE, "trailers"); // gRPC needs it end to end
                }
                continue;
            }
            if (name.equals("content-length") || name.equals("expect")) {
                continue;
            }
            if (name.equals("host") && !preserveHost) {
                continue;
            }
            to.add(field);
        }
    }

    /** End-to-end response headers only. */
    static HttpFields.Mutable responseHeaders(HttpFields from) {
        Set<String> named = connectionTokens(from);
        HttpFields.Mutable to = HttpFields.build(from.size());
        for (HttpField field : from) {
            String name = field.getLowerCaseName();
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                to.add(field);
            }
        }
        return to;
    }

    /**
     * Sets {@code X-Forwarded-For/Proto/Host} and {@code Forwarded}. When client-sent values are trusted
     * (the gateway is behind a load balancer) the chain is extended; otherwise it is replaced, so a
     * client cannot forge its address.
     */
    static void addForwarded(Exchange exchange, HttpFields.Mutable headers, boolean trustIncoming) {
        String client = exchange.remoteAddress().getHostString();
        String previousFor = trustIncoming ? exchange.requestHeaders().get("X-Forwarded-For") : null;
        String previousForwarded = trustIncoming ? exchange.requestHeaders().get(HttpHeader.FORWARDED) : null;
        headers.remove("X-Forwarded-For");
        headers.remove("X-Forwarded-Proto");
        headers.remove("X-Forwarded-Host");
        headers.remove(HttpHeader.FORWARDED);
        headers.put("X-Forwarded-For", previousFor == null ? client : previousFor + ", " + client);
        headers.put("X-Forwarded-Proto", exchange.scheme());
        headers.put("X-Forwarded-Host", exchange.authority());
        String node = client.contains(":") ? "\"[" + client + "]\"" : client;
        String forwarded = "for=" + node + ";host=\"" + exchange.authority() + "\";proto=" + exchange.scheme();
        headers.put(HttpHeader.FORWARDED, previousForwarded == null ? forwarded : previousForwarded + ", " + forwarded);
    }

    private static Set<String> connectionTokens(HttpFields fields) {
        Set<String> tokens = new HashSet<>();
        for (String value : fields.getValuesList(HttpHeader.CONNECTION)) {
            for (String token : value.split(",")) {
                String trimmed = token.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }
}
