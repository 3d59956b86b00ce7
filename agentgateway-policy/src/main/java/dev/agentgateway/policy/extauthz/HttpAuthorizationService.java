package dev.agentgateway.policy.extauthz;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.UpstreamOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;

/**
 * Envoy's HTTP ext_authz contract: the client's method, the path appended to the service's path, the
 * allowed headers and no body (unless configured); 2xx allows, 5xx is a failure, anything else denies.
 */
final class HttpAuthorizationService implements AuthorizationService {
    /** Envoy's header for a body cut at the configured size. */
    static final String PARTIAL_BODY = "x-envoy-auth-partial-body";

    private final URI service;
    private final Duration timeout;
    private final int maxBodyBytes;
    private final Set<String> upstreamHeaders;
    private final HttpClient client;

    HttpAuthorizationService(URI service, Duration timeout, int maxBodyBytes, Set<String> upstreamHeaders,
                             GatewayContext gateway) {
        this.service = service;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.upstreamHeaders = upstreamHeaders;
        this.client = gateway.newHttpClient(UpstreamOptions.DEFAULTS.withConnectTimeout(timeout));
    }

    @Override
    public Verdict check(Exchange exchange, CheckFacts facts) throws Exception {
        Request request = client.newRequest(URI.create(stripSlash(service.toString()) + path(exchange)))
                .method(exchange.method())
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    facts.headers().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
                    headers.put("x-forwarded-host", exchange.authority());
                    headers.put("x-forwarded-proto", exchange.scheme());
                    headers.put("x-forwarded-for", CheckFacts.host(exchange.remoteAddress()));
                    facts.extensions().forEach((name, value) ->
                            headers.put("x-agentgateway-" + name.replace('_', '-'), HeaderValues.encode(value)));
                });
        if (maxBodyBytes > 0) {
            byte[] body = exchange.requestBodyBytes(); // kept by the exchange, so the backend still reads it
            if (body.length > maxBodyBytes) {
                request.headers(headers -> headers.put(PARTIAL_BODY, "true"));
                body = Arrays.copyOf(body, maxBodyBytes);
            }
            request.body(new BytesRequestContent(body));
        }
        return verdict(request.send());
    }

    private Verdict verdict(ContentResponse answer) throws IOException {
        int status = answer.getStatus();
        if (status >= 200 && status < 300) {
            Map<String, String> added = new LinkedHashMap<>();
            for (HttpField field : answer.getHeaders()) {
                if (upstreamHeaders.contains(field.getLowerCaseName())) {
                    added.put(field.getName(), field.getValue());
                }
            }
            return Verdict.allow(added);
        }
        if (status >= 500 || status < 200) {
            throw new IOException("The authorization service answered " + status);
        }
        String challenge = answer.getHeaders().get("WWW-Authenticate");
        return Verdict.deny(status, message(answer),
                status == 401 && challenge != null ? Map.of("WWW-Authenticate", challenge) : Map.of());
    }

    /** The service's body as the denial's message when it is a short text, as Envoy passes the body on. */
    private static String message(ContentResponse answer) {
        String body = new String(answer.getContent(), StandardCharsets.UTF_8).strip();
        String type = answer.getMediaType() == null ? "text/plain" : answer.getMediaType().toLowerCase(Locale.ROOT);
        if (body.isEmpty() || body.length() > Verdict.MAX_MESSAGE || !type.startsWith("text/")) {
            return ExtAuthz.DENIED_MESSAGE;
        }
        return body;
    }

    static String path(Exchange exchange) {
        return exchange.originalPath() + (exchange.query() == null ? "" : "?" + exchange.query());
    }

    private static String stripSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    @Override
    public void close() {
        // the client is the gateway's: it stops with it
    }
}
