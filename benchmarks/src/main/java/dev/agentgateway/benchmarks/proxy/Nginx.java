package dev.agentgateway.benchmarks.proxy;

import dev.agentgateway.benchmarks.CpuTime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nginx (Debian package {@code nginx-light}) configured as the equivalent reverse proxy: one upstream,
 * keep-alive connections to it, HTTP/1.1, no access log, no buffering of responses (as the gateway).
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The CPU time nginx has used so far: its master and worker processes. */
    java.time.Duration cpuTime() {
        return CpuTime.ofTree(process.toHandle());
    }

    static Nginx start(int port, int upstreamPort) throws IOException, InterruptedException {
        return start(port, upstreamPort, "");
    }

    /**
     * The same proxy serving HTTPS with this PEM chain (leaf first) and key, TLS 1.2 and 1.3 as the
     * gateway's listener, nginx's default ciphers. No session cache: keep-alive clients handshake once.
     */
    static Nginx startTls(int port, int upstreamPort, Path certificateChain, Path privateKey) throws IOException, InterruptedException {
        return start(port, upstreamPort, " ssl;\n        ssl_certificate " + certificateChain.toAbsolutePath()
                + ";\n        ssl_certificate_key " + privateKey.toAbsolutePath() + ";\n        ssl_protocols TLSv1.2 TLSv1.3");
    }

    /** @param listenTail what follows the address in {@code listen} (before its semicolon), and further server lines */
    private static Nginx start(int port, int upstreamPort, String listenTail) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("agentgateway-nginx");
        Files.createDirectories(dir.resolve("logs"));
        String config = """
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream backend { server 127.0.0.1:%3$d; keepalive 256; }
                    server {
                        listen 127.0.0.1:%2$d%4$s;
                        location / {
                            proxy_pass http://backend;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $proxy_host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Host $http_host;
                            proxy_buffering off;
                        }
                    }
                }
                """.formatted(dir, port, upstreamPort, listenTail);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("nginx", "-c", file.toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Nginx(process, dir, port);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log")));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("nginx did not start listening on " + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
