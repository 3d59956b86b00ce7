package dev.agentgateway.benchmarks.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) on a loopback port, in memory only
 * (no RDB snapshots, no append-only file), stopped on {@link #close()}.
 */
final class RedisServer implements AutoCloseable {
    private final Process process;
    final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServer start(int port) throws IOException, InterruptedException {
        Path log = Files.createTempFile("agentgateway-redis", ".log");
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(log));
            }
            if (pong(port)) {
                return new RedisServer(process, port);
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not answer PING on " + port + ": " + Files.readString(log));
    }

    /** Whether Redis answers an inline PING (it refuses commands while it loads, so a bound port is not enough). */
    private static boolean pong(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
