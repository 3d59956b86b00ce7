package dev.agentgateway.benchmarks.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

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
            long started = System.nanoTime();
            URI uri = gateway.uri().resolve("/healthz");
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("unexpected status " + response.statusCode());
                }
            }
            long answered = System.nanoTime();
            System.out.printf("startup start_ms=%.1f first_request_ms=%.1f%n", (started - start) / 1e6, (answered - start) / 1e6);
        }
    }
}
