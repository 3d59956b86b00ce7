package dev.agentgateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) on a free loopback port, without
 * persistence, for tests and demos of limits shared through Redis. When {@code redis-server} is not
 * installed, {@link #start()} fails (an {@link AssertionError} saying how to install it); it never skips.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     BucketStore store = RedisStore.builder().uri(redis.uri()).build();   // redis://127.0.0.1:PORT/0
 *     // ... gateways whose limits use the store ...
 *     redis.kill();                    // a crash: FAIL_OPEN / FAIL_CLOSED take over
 *     redis.restart();                 // empty again, same port
 *     redis.cli("KEYS", "agw:rl:*");   // what redis-cli prints
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final String password;
    private final Path log;
    private Process process;

    private RedisServer(int port, String password) throws IOException {
        this.port = port;
        this.password = password;
        this.log = Files.createTempFile("redis-server-" + port + "-", ".log");
    }

    /** Starts a server on a free loopback port; returns once it answers {@code PING}. */
    public static RedisServer start() throws IOException, InterruptedException {
        return start(null);
    }

    /** Starts a server on a free loopback port that requires {@code password} (none when null). */
    public static RedisServer start(String password) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RedisServer server = new RedisServer(port, password);
        server.restart();
        return server;
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT/0}, without the password. */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Starts the server again on the same port (after {@link #kill()}), empty; returns once it answers {@code PING}. */
    public void restart() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is not installed (the Redis tests need a real one): "
                    + "apt-get install -y redis-server, as .ci/run does", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("redis-server did not start on port " + port + ": " + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops (SIGSTOP) or continues (SIGCONT) the server: a Redis that holds connections and answers nothing. */
    public void freeze(boolean frozen) throws IOException, InterruptedException {
        Process signal = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO().start();
        if (signal.waitFor() != 0) {
            throw new AssertionError("could not signal redis-server " + process.pid());
        }
    }

    /** Runs {@code redis-cli} (with the password, if any) against the server and returns what it printed, trimmed. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        if (password != null) {
            command.addAll(List.of("--no-auth-warning", "-a", password));
        }
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        cli.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int first = in.read();
            return first == '+' || first == '-'; // +PONG, or -NOAUTH from a server that wants a password
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server (even a frozen one) and deletes its log. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            freeze(false);
            kill();
        }
        Files.deleteIfExists(log);
    }
}
