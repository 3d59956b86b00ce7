package dev.agentgateway.policy.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.test.GatewayExtension;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** Requests to a gateway with headers, what the echo upstream saw, and waiting for a reload. */
final class AuthTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthTestSupport() {
    }

    /** GET {@code path} with header name/value pairs. */
    static HttpResponse<String> get(GatewayExtension gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The values of a header the echo upstream received (names are lower-cased there). */
    static List<String> forwarded(HttpResponse<String> echoed, String header) throws IOException {
        JsonNode values = JSON.readTree(echoed.body()).path("headers").path(header.toLowerCase());
        return values.isArray() ? JSON.convertValue(values, JSON.getTypeFactory().constructCollectionType(List.class, String.class))
                : List.of();
    }

    /** A policy after authentication that tells the upstream who the principal is, in {@code x-principal}. */
    static Policy whoAmI() {
        return new Policy() {
            @Override
            public Response apply(Exchange exchange, Chain next) throws Exception {
                Principal principal = exchange.principal();
                exchange.requestHeaders().put("x-principal", principal == null ? "anonymous"
                        : principal.scheme() + ":" + principal.subject() + " roles=" + new java.util.TreeSet<>(principal.roles())
                                + " claims=" + new TreeMap<>(principal.claims()));
                return next.proceed(exchange);
            }

            @Override
            public Phase phase() {
                return Phase.AUTHORIZATION;
            }
        };
    }

    /** A new file called {@code name} in a temporary folder, holding {@code content}; both deleted on exit. */
    static Path tempFile(String name, String content) {
        try {
            Path file = Files.createTempDirectory(name).resolve(name);
            Files.writeString(file, content);
            file.getParent().toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Replaces {@code file} at once, as deployment tools do (write aside, then rename). */
    static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Polls {@code condition} until it holds or ten seconds pass; returns whether it held. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The status of GET {@code path} with headers, for polling; 0 when the request failed. */
    static int status(GatewayExtension gateway, String path, String... headers) {
        try {
            return get(gateway, path, headers).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }
}
