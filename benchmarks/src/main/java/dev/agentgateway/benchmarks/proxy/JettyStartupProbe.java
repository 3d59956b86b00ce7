package dev.agentgateway.benchmarks.proxy;

import java.net.Socket;
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
            long started = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
                socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (!response.startsWith("HTTP/1.1 200")) {
                    throw new IllegalStateException("unexpected response " + response);
                }
            }
            long answered = System.nanoTime();
            System.out.printf("startup start_ms=%.1f first_request_ms=%.1f%n", (started - start) / 1e6, (answered - start) / 1e6);
        } finally {
            server.stop();
        }
    }
}
