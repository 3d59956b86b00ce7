package dev.agentgateway.policy.upstream;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP server on the loopback interface for answers mock-oauth2-server does not give: OAuth
 * errors, other token types, a missing {@code expires_in}, metadata at RFC 8414 locations, slowness.
 * Each path answers with a fixed status and JSON body.
 */
final class StubTokenServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    private StubTokenServer(Map<String, Answer> answers, boolean slow) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (slow) {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "{}"));
            byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    record Answer(int status, String json) {
    }

    /** A server answering each path of {@code answers}; 404 elsewhere. */
    static StubTokenServer answering(Map<String, Answer> answers) {
        return new StubTokenServer(answers, false);
    }

    /** A server that does not answer until it is closed. */
    static StubTokenServer silent() {
        return new StubTokenServer(Map.of(), true);
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
