package dev.agentgateway.mcp.internal.upstream;

import dev.agentgateway.core.Caller;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.StdioTarget;
import dev.agentgateway.mcp.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process spoken to over stdin/stdout, one JSON-RPC message per line. stderr is free-form
 * logging: it goes to the logger {@code dev.agentgateway.mcp.stdio.<target>} at INFO. Stopping closes
 * stdin, waits, asks the process to terminate, waits, then kills it (and its descendants).
 */
public final class StdioChannel implements UpstreamChannel {
    private static final Logger LOG = LoggerFactory.getLogger(StdioChannel.class);

    private final StdioTarget target;
    private final long maxMessageSize;
    private final Json json;
    private final Logger stderrLog;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile Process process;
    private volatile OutputStream stdin;

    public StdioChannel(StdioTarget target, long maxMessageSize, Json json) {
        this.target = target;
        this.maxMessageSize = maxMessageSize;
        this.json = json;
        this.stderrLog = LoggerFactory.getLogger("dev.agentgateway.mcp.stdio." + target.name());
    }

    @Override
    public void open(Inbound inbound) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(target.command());
        command.addAll(target.args());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(target.env());
        if (target.workingDirectory() != null) {
            builder.directory(target.workingDirectory().toFile());
        }
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new IOException("could not start '" + String.join(" ", command) + "': " + e.getMessage(), e);
        }
        LOG.info("target '{}': started process {} ({})", target.name(), started.pid(), String.join(" ", command));
        this.process = started;
        this.stdin = started.getOutputStream();
        Thread.ofVirtual().name("mcp-stdio-out-" + target.name()).start(() -> readStdout(started, inbound));
        Thread.ofVirtual().name("mcp-stdio-err-" + target.name()).start(() -> readStderr(started));
    }

    private void readStdout(Process owner, Inbound inbound) {
        InputStream out = owner.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        byte[] buffer = new byte[16 * 1024];
        boolean oversized = false;
        try {
            int n;
            while ((n = out.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    oversized = append(line, buffer, start, i - start, oversized);
                    if (!oversized) {
                        handleLine(line.toByteArray(), inbound);
                    }
                    line.reset();
                    oversized = false;
                    start = i + 1;
                }
                oversized = append(line, buffer, start, n - start, oversized);
            }
        } catch (IOException e) {
            LOG.debug("target '{}': stdout of process {} failed: {}", target.name(), owner.pid(), e.toString());
        }
        if (owner == process) {
            int exit;
            try {
                exit = owner.waitFor(2, TimeUnit.SECONDS) ? owner.exitValue() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit = -1;
            }
            inbound.closed(new IOException("process " + owner.pid() + " exited" + (exit >= 0 ? " with code " + exit : "")));
        }
    }

    /** Adds to the current line unless it grew beyond the message limit; returns whether it did. */
    private boolean append(ByteArrayOutputStream line, byte[] bytes, int offset, int length, boolean oversized) {
        if (oversized || length == 0) {
            return oversized;
        }
        if (line.size() + length > maxMessageSize) {
            LOG.warn("target '{}': a message larger than {} bytes was dropped", target.name(), maxMessageSize);
            line.reset();
            return true;
        }
        line.write(bytes, offset, length);
        return false;
    }

    private void handleLine(byte[] bytes, Inbound inbound) {
        int length = bytes.length;
        while (length > 0 && (bytes[length - 1] == '\r' || bytes[length - 1] == ' ')) {
            length--;
        }
        if (length == 0) {
            return;
        }
        JsonNode message;
        try {
            message = json.parse(length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length));
        } catch (IOException e) {
            LOG.warn("target '{}' wrote a line to stdout that is not JSON; dropped: {}", target.name(),
                    new String(bytes, 0, Math.min(length, 200), StandardCharsets.UTF_8));
            return;
        }
        if (message instanceof ObjectNode object) {
            inbound.message(object, null);
        } else {
            LOG.warn("target '{}' wrote a JSON value that is not a message object; dropped", target.name());
        }
    }

    private void readStderr(Process owner) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(owner.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                stderrLog.info("{}", line);
            }
        } catch (IOException e) {
            LOG.debug("target '{}': stderr closed: {}", target.name(), e.toString());
        }
    }

    @Override
    public void request(PendingCall call) throws IOException {
        write(call.request);
    }

    @Override
    public void send(ObjectNode message, Caller caller) throws IOException {
        write(message);
    }

    private void write(ObjectNode message) throws IOException {
        byte[] bytes = json.bytes(message);
        writeLock.lock();
        try {
            OutputStream out = stdin;
            if (out == null) {
                throw new IOException("the process of target '" + target.name() + "' is not running");
            }
            out.write(bytes);
            out.write('\n');
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean attributesRelatedMessages() {
        return false;
    }

    @Override
    public void close() {
        Process running = process;
        process = null;
        OutputStream in = stdin;
        stdin = null;
        if (running == null) {
            return;
        }
        try {
            if (in != null) {
                in.close();
            }
            long wait = target.stopTimeout().toMillis();
            if (!running.waitFor(wait, TimeUnit.MILLISECONDS)) {
                running.descendants().forEach(ProcessHandle::destroy);
                running.destroy();
                if (!running.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    running.descendants().forEach(ProcessHandle::destroyForcibly);
                    running.destroyForcibly();
                }
            }
            LOG.info("target '{}': process {} stopped", target.name(), running.pid());
        } catch (IOException e) {
            running.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }
}
