package dev.agentgateway.mcp.internal.modern;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.downstream.MessageStream;

/**
 * The messages one modern request's upstream call produces, in order: related notifications, requests
 * the upstream makes of the client (which become MRTR input requests), and last the response. A call
 * that asks for input outlives the HTTP exchange that started it: the client's retry reads on where
 * the previous exchange stopped. Notifications are bounded (the oldest dropped first) so that a call
 * whose client never retries cannot hold unbounded memory; requests and the response are never dropped.
 */
final class RoundStream implements MessageStream {
    private static final int MAX_NOTIFICATIONS = 1_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<ObjectNode> messages = new ArrayDeque<>();
    private int notifications;
    private boolean finished;

    @Override
    public void send(ObjectNode message) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            if (!message.has("id")) {
                if (notifications >= MAX_NOTIFICATIONS) {
                    dropOldestNotification();
                }
                notifications++;
            }
            messages.addLast(message);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** All at once under the lock: the face that reads a server request finds the rest of its round queued. */
    @Override
    public void sendTogether(List<ObjectNode> together) {
        lock.lock();
        try {
            together.forEach(this::send); // the lock is reentrant: each send adds without signalling a reader in between
        } finally {
            lock.unlock();
        }
    }

    private void dropOldestNotification() {
        for (Iterator<ObjectNode> it = messages.iterator(); it.hasNext(); ) {
            if (!it.next().has("id")) {
                it.remove();
                notifications--;
                return;
            }
        }
    }

    @Override
    public void finish(ObjectNode response) {
        lock.lock();
        try {
            if (!finished) {
                messages.addLast(response);
                finished = true;
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** The next message, waiting up to {@code millis}; {@code null} when none came. */
    ObjectNode next(long millis) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (messages.isEmpty()) {
                if (remaining <= 0) {
                    return null;
                }
                remaining = arrived.awaitNanos(remaining);
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    /** The next message if it is a request the upstream makes, without waiting; else {@code null}. */
    ObjectNode nextRequestIfQueued() {
        lock.lock();
        try {
            ObjectNode head = messages.peekFirst();
            return head != null && JsonRpc.kind(head) == JsonRpc.Kind.REQUEST ? take() : null;
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode take() {
        ObjectNode message = messages.removeFirst();
        if (!message.has("id")) {
            notifications--;
        }
        return message;
    }
}
