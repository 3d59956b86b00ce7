package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Authentication by client certificate (mTLS): turns the certificate the listener verified
 * ({@link Exchange#peerCertificates()}) into the exchange's {@link Principal}, so that authorization
 * and rate limits see the caller like any other. The listener does the verification (configure
 * {@link Tls.Builder#clientAuth}); this policy only maps the verified leaf certificate.
 *
 * <pre>{@code
 * Gateway.builder()
 *     .tls(Tls.builder().pem(cert, key).clientAuth(Tls.ClientAuth.REQUEST, Path.of("clients-ca.pem")).build())
 *     .route(Route.builder("agents").pathPrefix("/agents")
 *         .policy(ClientCertificateAuth.required())        // 401 without a client certificate
 *         .backend(HttpBackend.of("http://127.0.0.1:9100")))
 * }</pre>
 *
 * <p>The principal's subject is the certificate's SPIFFE ID when it carries exactly one {@code spiffe://}
 * URI SAN (an X.509 SVID), else its subject DN (RFC 2253 form); the scheme is {@code "mtls"}; there are
 * no roles. Claims: {@link #SUBJECT_DN}, {@link #ISSUER_DN}, {@link #DNS_NAMES} and {@link #URIS}
 * (lists, possibly empty), and for SVIDs {@link #SPIFFE_ID} and {@link #TRUST_DOMAIN}.
 */
public final class ClientCertificateAuth implements Policy {
    /** The principal's scheme. */
    public static final String SCHEME = "mtls";
    /** Claim: the subject distinguished name, RFC 2253. */
    public static final String SUBJECT_DN = "subject_dn";
    /** Claim: the issuer distinguished name, RFC 2253. */
    public static final String ISSUER_DN = "issuer_dn";
    /** Claim: the DNS names of the subject alternative names, a list of strings. */
    public static final String DNS_NAMES = "dns_sans";
    /** Claim: the URIs of the subject alternative names, a list of strings. */
    public static final String URIS = "uri_sans";
    /** Claim: the SPIFFE ID, {@code spiffe://trust-domain/path}. */
    public static final String SPIFFE_ID = "spiffe_id";
    /** Claim: the SPIFFE trust domain, the SPIFFE ID's host. */
    public static final String TRUST_DOMAIN = "trust_domain";

    private static final int DNS_NAME = 2;
    private static final int URI_NAME = 6;

    private final boolean required;

    private ClientCertificateAuth(boolean required) {
        this.required = required;
    }

    /** Answers 401 (in the route's protocol) when the client presented no certificate. */
    public static ClientCertificateAuth required() {
        return new ClientCertificateAuth(true);
    }

    /** Lets clients without a certificate through anonymously (no principal set). */
    public static ClientCertificateAuth optional() {
        return new ClientCertificateAuth(false);
    }

    @Override
    public Phase phase() {
        return Phase.AUTHENTICATION;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        List<X509Certificate> chain = exchange.peerCertificates();
        if (chain.isEmpty()) {
            if (required) {
                return exchange.errorResponse(new GatewayException(401, "unauthorized", "A client certificate is required"));
            }
            return next.proceed(exchange);
        }
        exchange.attribute(Principal.KEY, principal(chain.getFirst()));
        return next.proceed(exchange);
    }

    /** The principal a verified client certificate stands for. */
    public static Principal principal(X509Certificate certificate) {
        requireNonNull(certificate, "certificate");
        List<String> dnsNames = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (List<?> name : subjectAlternativeNames(certificate)) {
            if (name.size() == 2 && name.get(0) instanceof Integer type && name.get(1) instanceof String value) {
                if (type == DNS_NAME) {
                    dnsNames.add(value);
                } else if (type == URI_NAME) {
                    uris.add(value);
                }
            }
        }
        String subjectDn = certificate.getSubjectX500Principal().getName();
        Map<String, Object> claims = new HashMap<>();
        claims.put(SUBJECT_DN, subjectDn);
        claims.put(ISSUER_DN, certificate.getIssuerX500Principal().getName());
        claims.put(DNS_NAMES, List.copyOf(dnsNames));
        claims.put(URIS, List.copyOf(uris));
        URI spiffeId = spiffeId(uris);
        if (spiffeId != null) {
            claims.put(SPIFFE_ID, spiffeId.toString());
            claims.put(TRUST_DOMAIN, spiffeId.getRawAuthority());
            return new Principal(spiffeId.toString(), SCHEME, Set.of(), claims);
        }
        return new Principal(subjectDn, SCHEME, Set.of(), claims);
    }

    private static Collection<List<?>> subjectAlternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            // The handshake verified the chain; an unreadable SAN extension only means no SANs to report.
            return List.of();
        }
    }

    /**
     * The SPIFFE ID of an X.509 SVID: the one {@code spiffe://} URI SAN with a trust domain and no
     * port, user info, query or fragment (SPIFFE X.509-SVID §2 allows exactly one); otherwise none.
     */
    private static URI spiffeId(List<String> uris) {
        List<String> spiffe = uris.stream().filter(u -> u.toLowerCase(Locale.ROOT).startsWith("spiffe://")).toList();
        if (spiffe.size() != 1) {
            return null;
        }
        try {
            URI id = new URI(spiffe.getFirst());
            // The raw authority, not getHost(): trust domains may hold '_', which java.net.URI rejects in hosts.
            String authority = id.getRawAuthority();
            boolean valid = authority != null && !authority.isEmpty() && !authority.contains("@") && !authority.contains(":")
                    && id.getRawQuery() == null && id.getRawFragment() == null;
            return valid ? id : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
