package dev.agentgateway.samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agentgateway.core.Cors;
import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HeaderModifier;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;

/**
 * The first thing to run: a gateway on localhost:8080 (or the port given as the first argument) in
 * front of an embedded upstream, so it works offline and without credentials. Prints what to try.
 *
 * <pre>
 * ./mvnw -B -DskipTests install &amp;&amp; ./mvnw -B -f samples exec:java
 * ./mvnw -B -f samples exec:java -Dquickstart.args=9090     # another port
 * </pre>
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (FakeUpstream upstream = FakeUpstream.builder()
                        .handler("/", Fakes.echo())
                        .handler("/events", Fakes.sse(Duration.ofMillis(500), "one", "two", "three", "four", "five"))
                        .build()
                        .start();
             FakeUpstream echoAgent = EchoAgent.start();
             Gateway gateway = Gateway.builder()
                        .port(port)
                        .routes(routes(upstream.url()))
                        .routes(A2aDemo.routes(echoAgent.url()))
                        .route(LlmDemo.route())
                        .route(McpDemo.route())
                        .policy(Cors.builder().allowOrigin("*").build())
                        .start()) {
            System.out.println(instructions(gateway));
            gateway.awaitClose();
        }
    }

    /** The quickstart's routes, in front of an upstream at {@code upstreamUrl}. */
    public static List<Route> routes(String upstreamUrl) {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.builder("health").path("/healthz").backend(DirectResponse.of(200, "ok\n")).build());
        routes.add(Route.builder("events").path("/events").backend(HttpBackend.of(upstreamUrl)).build());
        routes.add(Route.builder("api")
                .pathPrefix("/api")
                .rewritePath(PathRewrite.stripPrefix())
                .requestHeaders(HeaderModifier.builder().set("X-Gateway", "agentgateway").build())
                .backend(HttpBackend.of(upstreamUrl))
                .build());
        return routes;
    }

    static String instructions(Gateway gateway) {
        String base = gateway.uri().toString().replaceAll("/$", "");
        return """

                agentgateway is listening on %1$s

                Try:
                  curl -i %1$s/healthz                     # a direct response
                  curl -s %1$s/api/hello?name=you          # proxied (prefix stripped) to an echo upstream
                  curl -N %1$s/events                      # server-sent events, relayed one by one
                  curl -i %1$s/nowhere                     # 404 with a JSON error

                A2A (an in-process echo agent behind /agents/echo, and the agent directory):
                %2$s
                LLM (OpenAI and Anthropic APIs over an offline echo model, or real providers when keys are set):
                %3$s
                MCP (two in-process MCP servers, clock and notes, federated behind /mcp):
                %4$s
                Press Ctrl+C to stop.
                """.formatted(base, A2aDemo.commands(base), LlmDemo.commands(base), McpDemo.commands(base));
    }
}
