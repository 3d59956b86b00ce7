package dev.agentgateway.benchmarks.proxy;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Heap allocated per proxied request: the whole JVM's allocated bytes over {@code calls} sequential
 * GETs straight to {@link FastBackend} and through the gateway in front of it, with the same client.
 * The gateway's share is the difference. Unlike throughput, allocation does not depend on how busy
 * the machine is. Arguments (optional): {@code calls} (default 20,000).
 */
public final class AllocationProbe {
    private AllocationProbe() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (FastBackend backend = FastBackend.start();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("bench").pathPrefix("/").backend(HttpBackend.of("http://127.0.0.1:" + backend.port)))
                     .start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI direct = URI.create("http://127.0.0.1:" + backend.port + "/hello");
            URI proxied = gateway.uri().resolve("/hello");
            for (int round = 0; round < 2; round++) { // the first round warms up
                long directBytes = allocatedPerCall(http, direct, calls);
                long proxiedBytes = allocatedPerCall(http, proxied, calls);
                if (round == 1) {
                    System.out.printf("heap allocated per GET (client and backend in the same JVM): direct %.2f KiB, through the"
                            + " gateway %.2f KiB; the gateway's share %.2f KiB%n", directBytes / 1024.0, proxiedBytes / 1024.0,
                            (proxiedBytes - directBytes) / 1024.0);
                }
            }
        }
        System.exit(0);
    }

    private static long allocatedPerCall(HttpClient http, URI uri, int calls) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        long start = threads.getTotalThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
            }
        }
        return (threads.getTotalThreadAllocatedBytes() - start) / calls;
    }
}
