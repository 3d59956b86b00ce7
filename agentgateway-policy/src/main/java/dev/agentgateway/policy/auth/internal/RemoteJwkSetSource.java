package dev.agentgateway.policy.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.URI;
import java.net.URL;

/**
 * Fetches an issuer's JWK set from its JWKS URL, or first finds that URL in the issuer's discovery
 * document ({@code jwks_uri}). Discovery happens on the first fetch, not at start-up, so a gateway
 * starts while the identity provider is still down; the caching layers above decide how often this runs.
 * Only public keys are kept: a JWKS that carries symmetric keys cannot turn them into HMAC secrets.
 */
public final class RemoteJwkSetSource implements JWKSetSource<SecurityContext> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final URI location;
    private final boolean discovery;
    private final ResourceRetriever retriever;
    private volatile URL jwksUrl;

    public RemoteJwkSetSource(String issuer, URI location, boolean discovery, ResourceRetriever retriever) {
        this.issuer = issuer;
        this.location = location;
        this.discovery = discovery;
        this.retriever = retriever;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context)
            throws KeySourceException {
        URL url = jwksUrl();
        try {
            JWKSet set = JWKSet.parse(retriever.retrieveResource(url).getContent());
            return PublicKeys.only(set);
        } catch (Exception e) {
            throw new KeySourceException("cannot fetch the JWK set of issuer " + issuer + " from " + url + ": " + e.getMessage(), e);
        }
    }

    private URL jwksUrl() throws KeySourceException {
        URL url = jwksUrl;
        if (url != null) {
            return url;
        }
        try {
            if (!discovery) {
                url = location.toURL();
            } else {
                JsonNode metadata = JSON.readTree(retriever.retrieveResource(location.toURL()).getContent());
                JsonNode jwksUri = metadata.path("jwks_uri");
                if (!jwksUri.isTextual()) {
                    throw new KeySourceException("discovery document " + location + " has no jwks_uri");
                }
                if (metadata.has("issuer") && !issuer.equals(metadata.path("issuer").asText())) {
                    // OIDC Discovery 4.3: the document must name the issuer it was fetched for
                    throw new KeySourceException("discovery document " + location + " names issuer "
                            + metadata.path("issuer").asText() + ", expected " + issuer);
                }
                url = URI.create(jwksUri.asText()).toURL();
            }
        } catch (KeySourceException e) {
            throw e;
        } catch (Exception e) {
            throw new KeySourceException("cannot read the discovery document " + location + ": " + e.getMessage(), e);
        }
        jwksUrl = url;
        return url;
    }

    @Override
    public void close() {
    }
}
