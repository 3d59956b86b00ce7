package dev.agentgateway.test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent-event stream a test drives by hand: {@link #send} emits one event now, {@link #end}
 * finishes the response. Put it behind {@link Fakes#sse(SseStream)}; one stream serves one request.
 *
 * <pre>{@code
 * SseStream stream = new SseStream();
 * FakeUpstream upstream = FakeUpstream.of(Fakes.sse(stream));
 * // ... client connects through the gateway ...
 * stream.awaitConnected(Duration.ofSeconds(5));
 * stream.send("hello");     // the client must see it before the next send
 * stream.end();
 * }</pre>
 */
public final class SseStream {
    private static final String END = "\u0000end";
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private final List<Long> sentNanos = new CopyOnWriteArrayList<>();
    private volatile boolean clientGone;

    /** Emits {@code data: <data>} now. */
    public void send(String data) {
        queue.add(data);
    }

    /** Ends the response after the events already sent. */
    public void end() {
        queue.add(END);
    }

    /** Waits until a request is being served by this stream. */
    public boolean awaitConnected(java.time.Duration timeout) throws InterruptedException {
        return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the stream has ended: normally or because the client went away. */
    public boolean awaitFinished(java.time.Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a write failed because the client (the gateway) went away. */
    public boolean clientGone() {
        return clientGone;
    }

    /** When each event left the upstream, from {@link System#nanoTime()}. */
    public List<Long> sentNanos() {
        return List.copyOf(sentNanos);
    }

    void pump(FakeResponse response) throws IOException, InterruptedException {
        connected.countDown();
        try {
            while (true) {
                String next = queue.poll(100, TimeUnit.MILLISECONDS);
                if (next == null) {
                    // A comment as heartbeat, so that a vanished client is noticed promptly.
                    response.write(": \n\n");
                    continue;
                }
                if (next.equals(END)) {
                    return;
                }
                sentNanos.add(System.nanoTime());
                response.write("data: " + next + "\n\n");
            }
        } catch (IOException e) {
            clientGone = true;
            throw e;
        } finally {
            finished.countDown();
        }
    }
}
