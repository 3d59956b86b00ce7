package dev.agentgateway.mcp.internal.downstream;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Principal;

/**
 * What one request's caller may see: the {@link Authorizer} an authorization policy stored on the
 * exchange (none: everything is visible), asked per item of a list and before a call goes upstream.
 * Items it refuses are answered as if they did not exist, so probing names tells nothing.
 */
public final class Visibility {
    /** No authorizer: every item is visible. */
    public static final Visibility ALL = new Visibility(null, null, false);

    private final Authorizer authorizer;
    private final Exchange exchange;
    private final Principal principal;
    private final boolean itemHidden;

    private Visibility(Authorizer authorizer, Exchange exchange, boolean itemHidden) {
        this.authorizer = authorizer;
        this.exchange = exchange;
        this.principal = exchange == null ? null : exchange.principal(); // read now: the view may be kept past the exchange
        this.itemHidden = itemHidden;
    }

    /**
     * The visibility of {@code exchange}'s caller. {@code itemHidden}: a policy already refused the item
     * the request names, so it is answered as unknown without asking anyone, the upstream included.
     */
    public static Visibility of(Exchange exchange, boolean itemHidden) {
        return new Visibility(exchange.attribute(Authorizer.KEY), exchange, itemHidden);
    }

    /** The caller, or {@code null} when anonymous (or there is no exchange). */
    Principal principal() {
        return principal;
    }

    /** Whether an authorizer decides at all (else every item is visible, and nothing need be built to ask it). */
    boolean asks() {
        return authorizer != null;
    }

    boolean itemHidden() {
        return itemHidden;
    }

    /** Whether an item of a {@code kind} list, named {@code clientName} to the client, is visible. */
    boolean listed(ListKind kind, String clientName, String target, String ownName) {
        return allows(kind, kind.method, clientName, target, ownName, null);
    }

    /**
     * Whether the caller may call, get or read the item a {@code method} request names; {@code arguments}
     * (a tool call's, or {@code null}) join the context.
     */
    boolean allows(ListKind kind, String method, String clientName, String target, String ownName, Map<String, Object> arguments) {
        if (authorizer == null) {
            return true;
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("method", method);
        context.put("target", target);
        context.put("name", ownName);
        if (arguments != null) {
            context.put("arguments", arguments);
        }
        return authorizer.allows(exchange, new Operation("mcp", kind.action, kind.resourceType, clientName, context));
    }
}
