package dev.agentgateway.benchmarks.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The fast local backend every path is measured against: a non-blocking Jetty handler answering a
 * small fixed body, and on {@code /sse} one server-sent event at once then a second after 50 ms.
 */
public final class FastBackend implements AutoCloseable {
    private static final ByteBuffer BODY = ByteBuffer.wrap("hello from the backend\n".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    private final Server server;
    final int port;

    private FastBackend(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** The port it listens on, on loopback. */
    public int port() {
        return port;
    }

    public static FastBackend start() throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (request.getHttpURI().getPath().equals("/sse")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                    response.write(false, ByteBuffer.wrap("data: first\n\n".getBytes(StandardCharsets.UTF_8)), Callback.from(() ->
                            request.getComponents().getScheduler().schedule(() -> response.write(true,
                                    ByteBuffer.wrap("data: second\n\n".getBytes(StandardCharsets.UTF_8)), callback),
                                    50, java.util.concurrent.TimeUnit.MILLISECONDS), callback::failed));
                    return true;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.remaining());
                response.write(true, BODY.slice(), callback);
                return true;
            }
        });
        server.start();
        return new FastBackend(server, connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
