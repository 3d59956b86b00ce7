package dev.agentgateway.benchmarks.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * {@link StartupProbe}'s measurement for a bare Jetty 12 {@code Server} with one handler that answers
 * "ok", and nothing of the gateway: the floor under the gateway's start-up on this machine. Run in a
 * fresh JVM by {@link ProxyBenchmark}; the output has the same form.
 */
public final class JettyStartupProbe {
    private JettyStartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        try {
            StartupProbe.report(start, connector.getLocalPort());
        } finally {
            server.stop();
        }
    }
}
