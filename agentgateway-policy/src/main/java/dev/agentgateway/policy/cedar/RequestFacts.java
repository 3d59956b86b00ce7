package dev.agentgateway.policy.cedar;

import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.value.DateTime;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.IpAddress;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Principal;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;

/**
 * What one exchange tells Cedar whatever the operation: the principal entity, the {@code HttpRequest}
 * entity, the client address, the time. Taken once when the authorization policy runs, so that
 * decisions asked later for the same request (each tool of a list) see the same facts, on any thread.
 */
final class RequestFacts {
    static final EntityTypeName GROUP = type("Group");
    static final EntityTypeName ROUTE = type("Route");
    private static final EntityTypeName USER = type("User");
    private static final EntityTypeName CLIENT = type("Client");
    private static final EntityTypeName ANONYMOUS = type("Anonymous");
    private static final EntityTypeName HTTP_REQUEST = type("HttpRequest");

    final Principal principal;
    final Entity principalEntity;
    final Entity requestEntity;
    /** The caller's groups and the groups above them, for {@code principal in Group::"..."} through nesting. */
    final Set<Entity> groupEntities;
    /** The principal and every entity it is in, for matching policy heads ({@link PolicyScope}). */
    final PolicyScope.Ref principalRef;
    final Set<PolicyScope.Ref> principalAncestors;
    final EntityUID route;
    final String routeName;
    final String clientIp;
    final String httpMethod;
    final Instant now;
    /** The request facts as plain values, for decision cache keys. */
    final Map<String, Object> requestKey;

    private RequestFacts(Exchange exchange, Instant now, GroupHierarchy groups) {
        this.principal = exchange.principal();
        this.principalEntity = principalEntity(principal);
        this.groupEntities = principal == null ? Set.of() : groups.entitiesAbove(principal.roles());
        this.principalRef = PolicyScope.Ref.of(principalEntity.getEUID());
        Set<PolicyScope.Ref> ancestors = new HashSet<>();
        principalEntity.getParents().forEach(parent -> ancestors.add(PolicyScope.Ref.of(parent)));
        for (Entity group : groupEntities) {
            ancestors.add(PolicyScope.Ref.of(group.getEUID()));
            group.getParents().forEach(parent -> ancestors.add(PolicyScope.Ref.of(parent)));
        }
        this.principalAncestors = Set.copyOf(ancestors);
        this.routeName = exchange.route().name();
        this.route = new EntityUID(ROUTE, routeName);
        this.httpMethod = exchange.method();
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        this.clientIp = ip(exchange.remoteAddress());
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : exchange.requestHeaders()) {
            headers.merge(field.getLowerCaseName(), field.getValue(), (a, b) -> a + ", " + b);
        }
        Map<String, Value> attributes = Map.of(
                "method", new PrimString(exchange.method()),
                "path", new PrimString(exchange.originalPath()),
                "host", new PrimString(exchange.host()),
                "scheme", new PrimString(exchange.scheme()));
        Map<String, Value> tags = new HashMap<>();
        headers.forEach((name, value) -> tags.put(name, new PrimString(value)));
        this.requestEntity = new Entity(new EntityUID(HTTP_REQUEST, exchange.id()), attributes, Set.of(), tags);
        this.requestKey = Map.of("method", exchange.method(), "path", exchange.originalPath(), "host", exchange.host(),
                "scheme", exchange.scheme(), "headers", headers);
    }

    static RequestFacts of(Exchange exchange, Instant now, GroupHierarchy groups) {
        return new RequestFacts(exchange, now, groups);
    }

    /**
     * {@code context.protocol}, and {@code context.now}, {@code context.client_ip}, {@code context.request}
     * when a policy reads them: a {@code datetime} value alone costs cedar-java about 90 µs a decision.
     * Leaving out what no policy reads cannot change an answer; Cedar does not validate the request.
     */
    Map<String, Value> baseContext(String protocol, ContextReferences reads) {
        Map<String, Value> context = new HashMap<>();
        context.put("protocol", new PrimString(protocol));
        if (reads.reads("request")) {
            context.put("request", requestEntity.getEUID());
        }
        if (reads.reads("client_ip")) {
            context.put("client_ip", new IpAddress(clientIp));
        }
        if (reads.reads("now")) {
            context.put("now", new DateTime(now.toString()));
        }
        return context;
    }

    /** User::"sub" (JWT, OAuth, basic), Client::"key" (API key) or Anonymous::"anonymous", in its groups. */
    private static Entity principalEntity(Principal principal) {
        if (principal == null) {
            return new Entity(new EntityUID(ANONYMOUS, "anonymous"));
        }
        EntityTypeName type = principal.scheme().equals(ApiKeyAuth.SCHEME) ? CLIENT : USER;
        Set<EntityUID> groups = new HashSet<>();
        for (String role : principal.roles()) {
            groups.add(new EntityUID(GROUP, role));
        }
        Map<String, Value> attributes = new HashMap<>();
        attributes.put("subject", new PrimString(principal.subject()));
        attributes.put("scheme", new PrimString(principal.scheme()));
        attributes.put("scopes", CedarValues.of(scopes(principal.claims())));
        Map<String, Value> tags = new HashMap<>();
        principal.claims().forEach((name, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                tags.put(name, new PrimString(value.toString()));
            }
        });
        return new Entity(new EntityUID(type, principal.subject()), attributes, groups, tags);
    }

    /** OAuth scopes: the {@code scope} claim (space-separated) or {@code scp} (a list or a string). */
    private static Set<String> scopes(Map<String, Object> claims) {
        Set<String> scopes = new HashSet<>();
        for (String claim : new String[] {"scope", "scp"}) {
            Object value = claims.get(claim);
            if (value instanceof String string) {
                for (String scope : string.trim().split("\\s+")) {
                    if (!scope.isEmpty()) {
                        scopes.add(scope);
                    }
                }
            } else if (value instanceof Collection<?> list) {
                list.forEach(scope -> scopes.add(String.valueOf(scope)));
            }
        }
        return scopes;
    }

    private static String ip(InetSocketAddress address) {
        InetAddress ip = address == null ? null : address.getAddress();
        if (ip == null) {
            return "0.0.0.0";
        }
        String text = ip.getHostAddress();
        int scope = text.indexOf('%'); // Cedar's ip() has no IPv6 zone ids
        return (scope < 0 ? text : text.substring(0, scope)).toLowerCase(Locale.ROOT);
    }

    static EntityTypeName type(String name) {
        return EntityTypeName.parse(name).orElseThrow();
    }
}
