package dev.agentgateway.benchmarks.proxy;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import dev.agentgateway.test.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What listener TLS costs, in one run on one machine: the fast backend directly, through the gateway
 * over HTTP and over HTTPS (PEM files from {@link TestPki}, EC P-256), and through nginx over HTTP and
 * HTTPS with the same certificate; wrk at saturation, the paths interleaved per round. wrk keeps its
 * connections open, so this is the cost of encrypting and decrypting requests, the handshakes amortised
 * (one per connection). Prints gateway TLS/plain, nginx TLS/plain and gateway/nginx for both.
 *
 * <p>Usage: {@code TlsBenchmark [seconds=10] [connections=64] [rounds=1]}; needs {@code wrk} and {@code nginx}.
 */
public final class TlsBenchmark {
    private static final String[] NAMES = {"direct", "gateway", "gateway-tls", "nginx", "nginx-tls"};

    private TlsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (!Wrk.installed()) {
            throw new IllegalStateException("wrk is needed: apt-get install wrk nginx-light");
        }
        Path dir = Files.createTempDirectory("agentgateway-tls-bench");
        TestPki.Identity server = TestPki.create(dir, "bench-ca").issue("localhost", "dns:localhost,ip:127.0.0.1");
        Tls tls = Tls.pem(server.certificateChain(), server.privateKey());
        try (FastBackend backend = FastBackend.start();
             Gateway plain = gateway(backend, null);
             Gateway secure = gateway(backend, tls);
             Nginx nginx = Nginx.start(Ports.freeLoopbackPort(), backend.port);
             Nginx nginxTls = Nginx.startTls(Ports.freeLoopbackPort(), backend.port, server.certificateChain(), server.privateKey())) {
            String[] urls = {
                "http://127.0.0.1:" + backend.port + "/",
                "http://127.0.0.1:" + plain.port() + "/",
                "https://127.0.0.1:" + secure.port() + "/",
                "http://127.0.0.1:" + nginx.port + "/",
                "https://127.0.0.1:" + nginxTls.port + "/",
            };
            System.out.printf("cores=%d java=%s wrk threads=2 connections=%d duration=%ds rounds=%d%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), connections, seconds, rounds);
            System.out.println("gateway TLS: " + handshake(secure.port()) + "; nginx TLS: " + handshake(nginxTls.port));
            for (String url : urls) {
                Wrk.run(url, 2, connections, Math.max(5, seconds / 2), 0); // JIT warm-up
            }
            double[] rate = new double[urls.length];
            double[] p99 = new double[urls.length];
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < urls.length; i++) {
                    Wrk.Result result = Wrk.run(urls[i], 2, connections, seconds, 0);
                    if (!result.errors().isBlank()) {
                        throw new IllegalStateException(NAMES[i] + ": wrk saw errors: " + result.errors());
                    }
                    rate[i] += result.requestsPerSecond() / rounds;
                    p99[i] += result.p99Millis() / rounds;
                }
            }
            System.out.println("\n== saturation ==");
            for (int i = 0; i < urls.length; i++) {
                System.out.printf(Locale.ROOT, "%-12s %9.0f req/s  p99 %7.3f ms%n", NAMES[i], rate[i], p99[i]);
            }
            System.out.printf(Locale.ROOT, "gateway TLS/plain %.2f, nginx TLS/plain %.2f, gateway/nginx plain %.2f, TLS %.2f%n",
                    rate[2] / rate[1], rate[4] / rate[3], rate[1] / rate[3], rate[2] / rate[4]);
        }
    }

    private static Gateway gateway(FastBackend backend, Tls tls) throws Exception {
        Gateway.Builder gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                .route(Route.builder("bench").pathPrefix("/").backend(HttpBackend.of("http://127.0.0.1:" + backend.port)));
        return (tls == null ? gateway : gateway.tls(tls)).start();
    }

    /** The protocol and cipher suite a default OpenSSL client (as wrk's) agrees on, if {@code openssl} is here. */
    private static String handshake(int port) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief")
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return String.join(", ", output.lines().filter(line -> line.startsWith("Protocol version") || line.startsWith("Ciphersuite"))
                    .toList());
        } catch (IOException e) {
            return "(openssl not found)";
        }
    }
}
