package dev.agentgateway.samples;

import java.util.List;

import dev.agentgateway.a2a.A2aBackend;
import dev.agentgateway.a2a.A2aDirectory;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;

/**
 * The A2A part of the quickstart: an in-process demo agent ({@link EchoAgent}, offline, no credentials)
 * behind {@code /agents/echo}, and the agent directory at {@code /.well-known/agents}.
 *
 * <pre>
 * ./mvnw -B -f samples exec:java -Dexec.mainClass=dev.agentgateway.samples.A2aDemo
 * </pre>
 */
public final class A2aDemo {

    private A2aDemo() {
    }

    /** The routes the quickstart mounts, in front of an {@link EchoAgent} listening at {@code echoAgentUrl}. */
    public static List<Route> routes(String echoAgentUrl) {
        Route echo = Route.builder("echo").pathPrefix("/agents/echo")
                .backend(A2aBackend.builder().url(echoAgentUrl).agentName("echo").build())
                .build();
        Route directory = Route.builder("agents").path("/.well-known/agents").method("GET")
                .backend(A2aDirectory.of(echo))
                .build();
        return List.of(echo, directory);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (FakeUpstream agent = EchoAgent.start();
             Gateway gateway = Gateway.builder().port(port).routes(routes(agent.url())).start()) {
            System.out.println(instructions(gateway));
            gateway.awaitClose();
        }
    }

    static String instructions(Gateway gateway) {
        return """

                agentgateway (A2A demo) is listening on %s

                Try:
                %s
                Press Ctrl+C to stop.
                """.formatted(gateway.uri(), commands(gateway.uri().toString().replaceAll("/$", "")));
    }

    /** The curl commands that try the A2A routes of a gateway at {@code base}, one per line. */
    static String commands(String base) {
        String send = "'{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":{\"message\":{\"messageId\":\"m1\","
                + "\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"hello\"}]}}}'";
        return """
                  curl -s %1$s/.well-known/agents                                 # the directory of agents
                  curl -s %1$s/agents/echo/.well-known/agent-card.json            # the card, URLs through the gateway
                  curl -s %1$s/agents/echo -H 'A2A-Version: 1.0' -d %2$s
                  curl -N %1$s/agents/echo -H 'A2A-Version: 1.0' -d %3$s
                """.formatted(base, send.formatted("SendMessage"), send.formatted("SendStreamingMessage"));
    }
}
