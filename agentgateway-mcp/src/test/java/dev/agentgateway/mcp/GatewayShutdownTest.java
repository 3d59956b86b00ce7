package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Closing a gateway ends the clients' listening streams instead of waiting out the grace period for them. */
class GatewayShutdownTest {

    @Test
    void closingTheGatewayEndsOpenGetStreamsAtOnce() throws Exception {
        Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry())
                .shutdownGracePeriod(Duration.ofMinutes(2))
                .route(Route.builder("mcp").path("/mcp").backend(McpBackend.builder()
                        .target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc"))).build()))
                .start();
        try (RawMcpClient client = new RawMcpClient(gateway.uri().resolve("/mcp"))) {
            ObjectNode capabilities = RawMcpClient.object();
            client.initialize(capabilities);
            HttpResponse<Stream<String>> stream = client.http().send(client.builder()
                    .setHeader("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            CompletableFuture<Long> streamEnded = CompletableFuture.supplyAsync(() -> stream.body().count());

            CompletableFuture<Void> closed = CompletableFuture.runAsync(gateway::close);
            // The grace period is two minutes; an open GET stream must not hold the close for it.
            closed.get(30, TimeUnit.SECONDS);
            assertThat(streamEnded.get(5, TimeUnit.SECONDS)).isNotNegative();
            assertThat(gateway.isRunning()).isFalse();
        } finally {
            gateway.close();
        }
    }
}
