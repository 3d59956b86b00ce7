package dev.agentgateway.test.oauth;

import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * Makes mock-oauth2-server issue tokens as an authorization server that honours RFC 8707 does, which
 * is what MCP clients expect: {@code aud} is the requested {@code resource}, {@code scope} the requested
 * scope, the subject the client id. Needs {@code no.nav.security:mock-oauth2-server} on the class path.
 *
 * <pre>{@code
 * MockOAuth2Server idp = ResourceTokens.start("idp", 0);   // loopback, ephemeral port
 * String issuer = idp.issuerUrl("idp").toString();
 * ...
 * idp.shutdown();
 * }</pre>
 */
public final class ResourceTokens implements OAuth2TokenCallback {
    private final String issuerId;
    private final long expirySeconds;

    /** Tokens of issuer {@code issuerId}, valid for {@code expirySeconds}. */
    public ResourceTokens(String issuerId, long expirySeconds) {
        this.issuerId = issuerId;
        this.expirySeconds = expirySeconds;
    }

    /** A mock-oauth2-server on loopback ({@code port} 0: ephemeral) whose issuer {@code issuerId} issues such tokens, for 5 minutes. */
    public static MockOAuth2Server start(String issuerId, int port) {
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(), Set.of(new ResourceTokens(issuerId, 300))));
        server.start(InetAddress.getLoopbackAddress(), port);
        return server;
    }

    @Override
    public String issuerId() {
        return issuerId;
    }

    @Override
    public String subject(TokenRequest request) {
        return request.getClientAuthentication() == null ? "anonymous" : request.getClientAuthentication().getClientID().getValue();
    }

    @Override
    public String typeHeader(TokenRequest request) {
        return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest request) {
        return request.getResources() == null ? List.of() : request.getResources().stream().map(URI::toString).toList();
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
        return Map.of("scope", request.getScope() == null ? "" : request.getScope().toString());
    }

    @Override
    public long tokenExpiry() {
        return expirySeconds;
    }
}
