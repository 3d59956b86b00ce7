package dev.agentgateway.benchmarks.proxy;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;

/**
 * Run in a fresh JVM by {@link ProxyBenchmark}: prints the milliseconds from the first line of
 * {@code main} (gateway building included) to the first answered request.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        try (Gateway gateway = Gateway.builder().port(0).accessLog(false)
                .route(Route.builder("health").path("/healthz").backend(DirectResponse.of(200, "ok"))).start()) {
            report(start, gateway.port());
        }
    }

    /**
     * Asks {@code GET /healthz} on {@code port} and prints the milliseconds since {@code start} to now
     * (started) and to its answer. A raw socket, so that the figure is the server's and not a client
     * library's start-up.
     */
    static void report(long start, int port) throws java.io.IOException {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("unexpected response " + response);
            }
        }
        long answered = System.nanoTime();
        System.out.printf("startup start_ms=%.1f first_request_ms=%.1f%n", (started - start) / 1e6, (answered - start) / 1e6);
    }
}
