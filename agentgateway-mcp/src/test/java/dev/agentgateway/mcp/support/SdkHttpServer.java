package dev.agentgateway.mcp.support;

import java.net.URI;
import java.util.function.Function;

import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An MCP Java SDK server behind its servlet Streamable HTTP transport at {@code /mcp}, on Jetty ee10. */
public final class SdkHttpServer implements AutoCloseable {
    private final Server server = new Server();
    private final McpSyncServer mcp;
    private final ServerConnector connector;

    public SdkHttpServer(Function<McpStreamableServerTransportProvider, McpSyncServer> factory) {
        this(factory, 0);
    }

    /** On {@code port} (0: a free one), so that a test can stop a server and start a new one where it was. */
    public SdkHttpServer(Function<McpStreamableServerTransportProvider, McpSyncServer> factory, int port) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()))
                .mcpEndpoint("/mcp")
                .httpHeaderValidator(SdkHttpServer::localOnly)
                .build();
        this.mcp = factory.apply(transport);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** DNS-rebinding protection: Host and Origin (when present) must name the loopback interface. */
    private static void localOnly(io.modelcontextprotocol.server.transport.HeaderAccessor headers)
            throws io.modelcontextprotocol.server.transport.ServerTransportSecurityException {
        for (String name : java.util.List.of("Host", "Origin")) {
            java.util.List<String> values = headers.getHeader(name);
            for (String value : values == null ? java.util.List.<String>of() : values) {
                String host = value.replaceFirst("^https?://", "").replaceFirst(":\\d+$", "").replaceFirst("/.*$", "");
                if (!host.equals("localhost") && !host.equals("127.0.0.1") && !host.equals("[::1]")) {
                    throw new io.modelcontextprotocol.server.transport.ServerTransportSecurityException(403, "Forbidden " + name + ": " + value);
                }
            }
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
    }

    @Override
    public void close() throws Exception {
        mcp.closeGracefully();
        server.stop();
    }
}
