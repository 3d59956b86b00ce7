package dev.agentgateway.policy.cedar;

import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.HeaderPrincipal;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;

/** A principal from request headers, and a backend that records a tool call or lists tools like a protocol module. */
final class CedarTestSupport {
    private CedarTestSupport() {
    }

    /** {@code X-User: alice}, {@code X-Roles: dev,ops}, {@code X-Tenant: acme}; no {@code X-User}: anonymous. */
    static Policy headerPrincipal() {
        return HeaderPrincipal.policy();
    }

    /**
     * {@code POST /call/<target>/<tool>} with a JSON-ish body {@code repo=...} records a call_tool operation;
     * {@code GET /list} answers the names of the tools {@code a1,a2,b1} the authorizer lets through.
     */
    static Backend toolBackend() {
        return new Backend() {
            @Override
            public Response inspect(Exchange exchange) throws Exception {
                String[] parts = exchange.pathWithinRoute().split("/");
                if (parts.length == 4 && parts[1].equals("call")) {
                    String body = new String(exchange.requestBodyBytes());
                    Map<String, Object> arguments = body.startsWith("repo=") ? Map.of("repo", body.substring(5))
                            : body.startsWith("limit=") ? Map.of("limit", Long.parseLong(body.substring(6))) : Map.of();
                    exchange.attribute(Operation.KEY, new Operation("mcp", "call_tool", "Tool", parts[2] + "_" + parts[3],
                            Map.of("method", "tools/call", "target", parts[2], "name", parts[3], "arguments", arguments)));
                } else if (exchange.pathWithinRoute().equals("/list")) {
                    exchange.attribute(Operation.KEY, new Operation("mcp", "list_tools", "Tool", "", Map.of("method", "tools/list")));
                }
                return null;
            }

            @Override
            public Response handle(Exchange exchange) {
                if (!exchange.pathWithinRoute().equals("/list")) {
                    return Response.text(200, "called");
                }
                Authorizer authorizer = exchange.attribute(Authorizer.KEY);
                List<String> visible = new ArrayList<>();
                for (String tool : List.of("a_one", "a_two", "b_one")) {
                    String[] owned = tool.split("_");
                    Operation item = new Operation("mcp", "call_tool", "Tool", tool,
                            Map.of("method", "tools/list", "target", owned[0], "name", owned[1]));
                    if (authorizer == null || authorizer.allows(exchange, item)) {
                        visible.add(tool);
                    }
                }
                return Response.text(200, String.join(",", visible));
            }
        };
    }

    /** An exchange on route "tools" answering what {@link RequestFacts} reads. */
    static Exchange exchange(Principal principal) {
        Route route = Route.builder("tools").pathPrefix("/tools").backend(toolBackend()).build();
        HttpFields.Mutable headers = HttpFields.build().put("Accept", "application/json");
        Map<String, Object> values = new LinkedHashMap<>(Map.of("id", "r-1", "method", "GET", "originalPath", "/tools/x",
                "host", "localhost", "scheme", "http", "requestHeaders", headers, "route", route,
                "remoteAddress", new InetSocketAddress("127.0.0.1", 5000)));
        return (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(), new Class<?>[] {Exchange.class}, (proxy, method, args) -> {
            if (method.getName().equals("principal")) {
                return principal;
            }
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
