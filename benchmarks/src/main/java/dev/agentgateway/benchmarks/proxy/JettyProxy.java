package dev.agentgateway.benchmarks.proxy;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's own non-blocking reverse proxy ({@code ProxyHandler.Reverse}, Jetty's defaults: a platform
 * thread pool, one connector) in front of the benchmark's backend, in this JVM: what a proxy built on
 * Jetty's server and client costs before any gateway feature, next to the gateway, which is built on
 * the same two.
 */
final class JettyProxy implements AutoCloseable {
    final int port;
    private final Server server;

    private JettyProxy(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static JettyProxy start(int backendPort) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new ProxyHandler.Reverse(request -> HttpURI.build(request.getHttpURI())
                .scheme("http").host("127.0.0.1").port(backendPort)));
        server.start();
        return new JettyProxy(server, connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
