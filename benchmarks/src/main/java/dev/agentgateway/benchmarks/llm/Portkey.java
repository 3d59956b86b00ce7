package dev.agentgateway.benchmarks.llm;

import dev.agentgateway.benchmarks.CpuTime;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Portkey AI gateway ({@code @portkey-ai/gateway}, installed by {@code run-benchmark.sh} from
 * {@code benchmarks/portkey/package-lock.json}) as a peer: one Node process, started headless on a free
 * loopback port, as its own {@code start-server.js} is meant to be run. Portkey picks the upstream from
 * request headers ({@link #headers}), so the same process can sit in front of the benchmark's fake.
 */
final class Portkey implements AutoCloseable {
    private static final Path SERVER = Path.of("node_modules", "@portkey-ai", "gateway", "build", "start-server.js");

    private final Process process;
    private final int port;

    private Portkey(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Portkey from {@code dir} (holding its {@code node_modules}), or returns null when it is not installed. */
    static Portkey startOrNull(Path dir) throws IOException, InterruptedException {
        Path server = dir.toAbsolutePath().resolve(SERVER);
        if (!Files.isRegularFile(server)) {
            return null;
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder("node", server.toString(), "--port=" + port, "--headless")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "portkey.log"))
                .start();
        Portkey portkey = new Portkey(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Portkey exited with " + process.exitValue() + ", see " + dir.resolve("portkey.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return portkey;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        portkey.close();
        throw new IOException("Portkey did not listen on port " + port + " within 30 s");
    }

    URI chatCompletions() {
        return URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
    }

    /**
     * The headers that make Portkey translate to Anthropic at {@code anthropicBase} (which ends in
     * {@code /v1}; Portkey appends {@code /messages}) with the key passed as a bearer token, as its
     * request parser reads them in version 1.15.2.
     */
    static String[] headers(String anthropicBase, String key) {
        return new String[] {"x-portkey-provider", "anthropic", "x-portkey-custom-host", anthropicBase,
                "Authorization", "Bearer " + key};
    }

    /** CPU time the Node process has used so far, in nanoseconds. */
    long cpuNanos() {
        return CpuTime.of(process.toHandle()).toNanos();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
