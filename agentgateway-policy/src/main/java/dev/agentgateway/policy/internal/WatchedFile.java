package dev.agentgateway.policy.internal;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.GatewayContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file read into a value, and read again when it changes. Change is noticed by polling the
 * modification time, size and file key (inode): polling works on every file system and in
 * containers, where mounted config maps are swapped by renaming a symbolic link, which
 * {@code WatchService} misses. A change is read once the file has looked the same at two checks in
 * a row, so that one caught while being written (truncated, half copied) is not read; a file that
 * still fails to read or parse keeps the last good value and logs a warning once per change.
 *
 * <p>The path may be a directory: then its stamp is that of every regular file in it (names, times,
 * sizes), so adding, removing or changing one counts as a change of the whole.
 *
 * @param <T> what the file is read into
 */
public final class WatchedFile<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedFile.class);

    /** Reads the file into a value; throws when the file is not valid. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws Exception;
    }

    private record Stamp(String name, FileTime modified, long size, Object fileKey, List<Stamp> children) {
    }

    private final Path file;
    private final String what;
    private final Reader<T> reader;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile T value;
    private volatile Stamp stamp;
    private volatile Stamp pending;
    private ScheduledFuture<?> poll;
    private volatile Runnable onReload = () -> { };

    /**
     * Reads {@code file} now.
     *
     * @param what names the file in log lines, for example {@code "API key file"}
     * @throws IllegalArgumentException when the first read fails: a gateway should not start without it
     */
    public WatchedFile(Path file, String what, Reader<T> reader) {
        this.file = requireNonNull(file, "file");
        this.what = requireNonNull(what, "what");
        this.reader = requireNonNull(reader, "reader");
        try {
            this.stamp = stamp();
            this.pending = this.stamp;
            this.value = reader.read(file);
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** The last good value. */
    public T value() {
        return value;
    }

    /** Runs {@code listener} after each successful reload (on the thread that read the file). */
    public void onReload(Runnable listener) {
        this.onReload = requireNonNull(listener, "listener");
    }

    /** Starts polling every {@code interval} on the gateway's scheduler; the reading runs on its executor. */
    public void watch(GatewayContext gateway, Duration interval) {
        long millis = interval.toMillis();
        poll = gateway.scheduler().scheduleWithFixedDelay(() -> {
            if (checking.compareAndSet(false, true)) {
                try {
                    gateway.executor().execute(this::checkNow);
                } catch (RuntimeException e) { // the gateway is stopping: this poll is skipped, the next may run
                    checking.set(false);
                }
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the file again if it changed and has not changed since the previous check; keeps the last
     * good value if it is gone or not valid.
     */
    public void checkNow() {
        try {
            Stamp now = stamp();
            if (Objects.equals(now, stamp)) {
                return;
            }
            if (!Objects.equals(now, pending)) {
                pending = now; // read it once it stays so for a poll: a file being written is not read half-way
                return;
            }
            stamp = now; // also on failure: a bad or missing file is reported once, not at every poll
            if (now == null) {
                LOG.warn("{} {} is gone, keeping the previous version", what, file);
                return;
            }
            value = reader.read(file);
            LOG.info("{} {} reloaded", what, file);
            onReload.run();
        } catch (Exception e) {
            LOG.warn("{} {} could not be reloaded, keeping the previous version: {}", what, file, e.getMessage());
        } finally {
            checking.set(false);
        }
    }

    /** The file's stamp, or {@code null} when it cannot be read. */
    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            List<Stamp> children = List.of();
            if (attributes.isDirectory()) {
                children = new ArrayList<>();
                try (Stream<Path> listing = Files.list(file)) {
                    for (Path child : listing.sorted().toList()) {
                        BasicFileAttributes c = Files.readAttributes(child, BasicFileAttributes.class);
                        if (c.isRegularFile()) {
                            children.add(new Stamp(child.getFileName().toString(), c.lastModifiedTime(), c.size(), c.fileKey(), List.of()));
                        }
                    }
                }
            }
            return new Stamp("", attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), children);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (poll != null) {
            poll.cancel(false);
        }
    }

    @Override
    public String toString() {
        return what + " " + file;
    }
}
