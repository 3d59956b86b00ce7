package dev.agentgateway.a2a.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.a2a.A2aBackend;
import dev.agentgateway.core.BlockingReads;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.UpstreamOptions;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/** Fetching, parsing and fingerprinting agent cards. */
public final class AgentCards {
    public static final String CARD = "/.well-known/agent-card.json";
    public static final String LEGACY_CARD = "/.well-known/agent.json";
    /** The user agent of requests the gateway makes on its own behalf (card discovery, the directory). */
    public static final String USER_AGENT = "agentgateway";
    /** Card JSON keeps numbers exactly as written. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN);

    private AgentCards() {
    }

    /** Whether {@code path} (below a route) names the card, by either name. */
    public static boolean isCardPath(String path) {
        return path.endsWith(CARD) || path.endsWith(LEGACY_CARD);
    }

    /** The other well-known name of a card path. */
    public static String otherName(String path) {
        return path.endsWith(CARD) ? path.substring(0, path.length() - CARD.length()) + LEGACY_CARD
                : path.substring(0, path.length() - LEGACY_CARD.length()) + CARD;
    }

    /**
     * Parses a card the agent sent.
     *
     * @throws GatewayException 502 naming the agent when the body is not a JSON object
     */
    public static ObjectNode parse(byte[] body, String agent, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw GatewayException.badGateway("Agent '" + agent + "' answered " + where
                    + " with an agent card that is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw GatewayException.badGateway("Agent '" + agent + "' answered " + where + " with an unreadable agent card", e);
        }
        if (!(node instanceof ObjectNode card)) {
            throw GatewayException.badGateway("Agent '" + agent + "' answered " + where
                    + " with JSON that is not an agent card object", null);
        }
        return card;
    }

    /** A strong ETag for a body the gateway produced. */
    public static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a streamed body to its end, failing (and aborting the source) beyond {@code max} bytes. */
    public static byte[] readAll(Content.Source source, long max, String agent) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            Content.Chunk chunk = BlockingReads.next(source);
            if (Content.Chunk.isFailure(chunk)) {
                throw GatewayException.badGateway("Agent '" + agent + "': the answer broke off: " + chunk.getFailure(), chunk.getFailure());
            }
            try {
                ByteBuffer buffer = chunk.getByteBuffer();
                if (out.size() + buffer.remaining() > max) {
                    GatewayException tooLarge = GatewayException.badGateway("Agent '" + agent
                            + "' answered with more than " + max + " bytes where an agent card or a small answer was expected", null);
                    source.fail(tooLarge);
                    throw tooLarge;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.write(bytes);
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                return out.toByteArray();
            }
        }
    }

    /**
     * The client that fetches {@code agent}'s card: the gateway's shared one, or, for an agent with its
     * own {@link A2aBackend#tls()}, a client of its own with those settings.
     */
    public static HttpClient client(GatewayContext gateway, A2aBackend agent) {
        if (agent.tls() == null) {
            return gateway.httpClient();
        }
        return gateway.newHttpClient(UpstreamOptions.DEFAULTS.withTls(agent.tls()).withConnectTimeout(agent.connectTimeout()));
    }

    /**
     * Fetches an agent's own card with {@code client} (see {@link #client}), trying the legacy name when the current one
     * is not found.
     *
     * @param version the {@code A2A-Version} to send, or {@code null}
     * @throws GatewayException 502/504 when the agent cannot be reached, answers an error or sends no JSON object
     */
    public static ObjectNode fetch(HttpClient client, URI agentUrl, String version, Duration timeout, long maxSize, String agent)
            throws InterruptedException {
        String base = agentUrl.toString();
        ContentResponse response = get(client, base + CARD, version, timeout, maxSize, agent);
        if (response.getStatus() == 404) {
            response = get(client, base + LEGACY_CARD, version, timeout, maxSize, agent);
        }
        if (response.getStatus() / 100 != 2) {
            throw GatewayException.badGateway("Agent '" + agent + "' answered its agent card request with HTTP "
                    + response.getStatus(), null);
        }
        return parse(response.getContent(), agent, "GET " + base + CARD);
    }

    private static ContentResponse get(HttpClient client, String url, String version, Duration timeout, long maxSize,
                                       String agent) throws InterruptedException {
        Request request = client.newRequest(url).method("GET").timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        request.headers(headers -> {
            headers.put(HttpHeader.ACCEPT, "application/json");
            headers.put(HttpHeader.USER_AGENT, USER_AGENT);
            if (version != null) {
                headers.put("A2A-Version", version);
            }
        });
        try {
            return new CompletableResponseListener(request, (int) Math.min(Integer.MAX_VALUE, maxSize)).send().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw GatewayException.gatewayTimeout("Agent '" + agent + "' did not send its agent card within "
                        + timeout.toMillis() + " ms", cause);
            }
            String what = cause instanceof ConnectException ? "cannot be reached" : "failed";
            throw GatewayException.badGateway("Agent '" + agent + "' " + what + " while fetching " + url + ": " + cause, cause);
        }
    }
}
