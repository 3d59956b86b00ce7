package dev.agentgateway.a2a.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.core.sse.SseParser;

/**
 * Watches an answer pass through without holding it up: a stream is parsed event by event as its bytes
 * are relayed (each event's JSON read for its kind, task and state), a plain answer is copied up to a
 * limit and read at its end. What it learns feeds the meters and the exchange's
 * {@link dev.agentgateway.a2a.A2aResult}. Used by one thread at a time (the request's).
 */
public final class AnswerObserver {
    private static final int MAX_COPY = 1024 * 1024;

    private final boolean jsonRpc;
    private final boolean stream;
    private final String agent;
    private final String method;
    private final long startNanos;
    private final A2aMetrics metrics;
    private final SseParser parser;
    private ByteArrayOutputStream copy;
    private boolean overflow;

    private int events;
    private String taskId;
    private String contextId;
    private String state;
    private String errorCode;
    private boolean sawAnswer;
    private boolean ended;
    private java.util.function.Consumer<String> taskListener;

    private AnswerObserver(boolean jsonRpc, boolean stream, String agent, String method, long startNanos, A2aMetrics metrics) {
        this.jsonRpc = jsonRpc;
        this.stream = stream;
        this.agent = agent;
        this.method = method;
        this.startNanos = startNanos;
        this.metrics = metrics;
        this.parser = stream ? new SseParser(this::onEvent, comment -> { }, 64L * 1024 * 1024) : null;
    }

    /** Watches a server-sent-event stream. */
    public static AnswerObserver stream(boolean jsonRpc, String agent, String method, long startNanos, A2aMetrics metrics) {
        return new AnswerObserver(jsonRpc, true, agent, method, startNanos, metrics);
    }

    /** Watches a plain JSON answer. */
    public static AnswerObserver json(boolean jsonRpc, String agent, String method, long startNanos, A2aMetrics metrics) {
        return new AnswerObserver(jsonRpc, false, agent, method, startNanos, metrics);
    }

    /** Bytes on their way to the client. */
    public void bytes(ByteBuffer bytes) {
        if (stream) {
            try {
                parser.feed(bytes);
            } catch (IllegalStateException e) {
                // An oversized event: stop looking, keep relaying.
            }
            return;
        }
        if (overflow) {
            return;
        }
        if (copy == null) {
            copy = new ByteArrayOutputStream(Math.min(Math.max(bytes.remaining(), 256), MAX_COPY));
        }
        if (copy.size() + bytes.remaining() > MAX_COPY) {
            overflow = true;
            copy = null;
            return;
        }
        byte[] chunk = new byte[bytes.remaining()];
        bytes.get(chunk);
        copy.write(chunk, 0, chunk.length);
    }

    /** A whole answer known at once (a body the gateway buffered anyway). */
    public void whole(byte[] body) {
        bytes(ByteBuffer.wrap(body));
        end();
    }

    /** The answer has been relayed completely. */
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (!stream && copy != null && copy.size() > 0) {
            byte[] body = copy.toByteArray();
            copy = null;
            try {
                take(AnswerFacts.read(body, 0, body.length, jsonRpc));
            } catch (IOException e) {
                // Not JSON: nothing to learn.
            }
        }
    }

    private void onEvent(SseEvent event) {
        events++;
        if (events == 1) {
            metrics.firstEvent(agent, method, System.nanoTime() - startNanos);
        }
        byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
        String kind = "unknown";
        try {
            AnswerFacts facts = AnswerFacts.read(data, 0, data.length, jsonRpc);
            take(facts);
            if (facts.kind() != null) {
                kind = facts.kind();
            }
        } catch (IOException e) {
            // An event whose data is not JSON is relayed all the same.
        }
        metrics.streamEvent(agent, kind);
    }

    private void take(AnswerFacts facts) {
        if (facts.kind() == null) {
            return;
        }
        sawAnswer = true;
        if (facts.kind().equals("error")) {
            errorCode = facts.errorCode() == null ? "unknown" : facts.errorCode();
            return;
        }
        if (facts.taskId() != null) {
            taskId = facts.taskId();
            if (taskListener != null) {
                taskListener.accept(taskId);
            }
        }
        if (facts.contextId() != null) {
            contextId = facts.contextId();
        }
        if (facts.state() != null) {
            state = facts.state();
            metrics.taskState(agent, facts.state());
        }
    }

    /** Tells {@code listener} every task id the answer names, as soon as it is seen (the task's owner is recorded then). */
    public void onTaskId(java.util.function.Consumer<String> listener) {
        this.taskListener = listener;
    }

    public int events() {
        return events;
    }

    public String taskId() {
        return taskId;
    }

    public String contextId() {
        return contextId;
    }

    public String state() {
        return state;
    }

    /** The error code the answer carried, or {@code null}. */
    public String errorCode() {
        return errorCode;
    }

    /** Whether a recognisable answer (result or error) was seen. */
    public boolean sawAnswer() {
        return sawAnswer;
    }

    /** Whether the whole answer went through. */
    public boolean ended() {
        return ended;
    }
}
