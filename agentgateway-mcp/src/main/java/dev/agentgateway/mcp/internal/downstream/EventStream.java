package dev.agentgateway.mcp.internal.downstream;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Body;
import dev.agentgateway.mcp.internal.Json;

/**
 * One logical event stream of a client session (the answer to one POST, or the GET stream). Messages
 * are appended by whoever produces them (upstream readers) and buffered, at most {@code capacity} of
 * them, so a client whose connection dropped can resume with {@code Last-Event-ID} and get exactly the
 * events of this stream it missed. Connections come and go; the stream lives on until its response is
 * delivered (or the session ends). Event ids are {@code <stream>-<sequence>}, unique within the session.
 */
public final class EventStream implements MessageStream {
    private static final long KEEP_ALIVE_MILLIS = 25_000;

    private final String id;
    private final int capacity;
    private final Json json;
    private final boolean legacy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long nextSequence = 1;
    private long delivered;
    private boolean finished;
    private boolean finalDelivered;
    private boolean closed;

    /** A buffered event: its sequence number, the message as JSON, whether it ends the stream. */
    public record Event(long sequence, String data, boolean last) {
    }

    /**
     * @param legacy whether this is a legacy HTTP+SSE stream (events without ids, never resumed)
     */
    public EventStream(String id, int capacity, Json json, boolean legacy) {
        this.id = id;
        this.capacity = capacity;
        this.json = json;
        this.legacy = legacy;
    }

    public String id() {
        return id;
    }

    @Override
    public void send(ObjectNode message) {
        append(json.write(message), false);
    }

    @Override
    public void finish(ObjectNode response) {
        append(json.write(response), true);
    }

    /** Ends the stream without a final message (the session ended). */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isFinished() {
        lock.lock();
        try {
            return finished || closed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the final event has been written to a connection: nothing is left to resume. */
    public boolean isDrained() {
        lock.lock();
        try {
            return finalDelivered || closed;
        } finally {
            lock.unlock();
        }
    }

    private void append(String data, boolean last) {
        lock.lock();
        try {
            if (finished || closed) {
                return;
            }
            events.addLast(new Event(nextSequence++, data, last));
            while (events.size() > capacity) {
                events.removeFirst();
            }
            finished = last;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code millis} for the first event; returns it, or {@code null} when none came. Used to
     * answer with plain JSON when the response is the only message.
     */
    public Event awaitFirst(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (events.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.awaitNanos(left);
            }
            return events.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the first (and only) event delivered as JSON. */
    public void deliveredAsJson() {
        lock.lock();
        try {
            delivered = Math.max(delivered, 1);
            finalDelivered = finished;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number of the newest event written to any connection (where a new GET stream starts). */
    public long deliveredSequence() {
        lock.lock();
        try {
            return delivered;
        } finally {
            lock.unlock();
        }
    }

    /** The id of a priming event (no data) that lets a client resume from the start of this stream. */
    public String primingId() {
        return id + "-0";
    }

    /**
     * Writes the events after sequence {@code after} to {@code sink} as they come, until the stream ends
     * (returns normally) or the connection fails (throws). Sends a comment now and then so idle
     * connections stay up and dead ones are noticed.
     */
    public void writeTo(Body.Sink sink, long after) throws IOException, InterruptedException {
        long cursor = after;
        while (true) {
            List<Event> batch = new ArrayList<>();
            boolean end;
            lock.lock();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS);
                while (!closed && (events.isEmpty() || events.peekLast().sequence() <= cursor) && !(finished && finalDelivered)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    changed.awaitNanos(left);
                }
                for (Event event : events) {
                    if (event.sequence() > cursor) {
                        batch.add(event);
                    }
                }
                end = closed && batch.isEmpty();
            } finally {
                lock.unlock();
            }
            if (end) {
                return;
            }
            if (batch.isEmpty()) {
                if (finished && isDrained()) {
                    return;
                }
                sink.write(": keep-alive\n\n");
                continue;
            }
            for (Event event : batch) {
                sink.write(format(event));
                cursor = event.sequence();
                lock.lock();
                try {
                    delivered = Math.max(delivered, cursor);
                    if (event.last()) {
                        finalDelivered = true;
                    }
                } finally {
                    lock.unlock();
                }
                if (event.last()) {
                    return;
                }
            }
        }
    }

    private String format(Event event) {
        StringBuilder out = new StringBuilder(event.data().length() + 48);
        if (!legacy) {
            out.append("id: ").append(id).append('-').append(event.sequence()).append('\n');
        }
        return out.append("event: message\ndata: ").append(event.data()).append("\n\n").toString();
    }

    /** Parses the sequence out of an event id of this session's streams: {@code [stream, sequence]}, or {@code null}. */
    public static String[] parseEventId(String eventId) {
        if (eventId == null) {
            return null;
        }
        int dash = eventId.lastIndexOf('-');
        if (dash <= 0 || dash == eventId.length() - 1) {
            return null;
        }
        String sequence = eventId.substring(dash + 1);
        if (!sequence.chars().allMatch(Character::isDigit) || sequence.length() > 18) {
            return null;
        }
        return new String[] {eventId.substring(0, dash), sequence};
    }
}
