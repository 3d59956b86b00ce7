package dev.agentgateway.mcp.internal.downstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A legacy HTTP+SSE session has one stream: every request's messages and response go onto it. */
final class ForwardingStream implements MessageStream {
    private final EventStream target;
    private volatile boolean finished;

    ForwardingStream(EventStream target) {
        this.target = target;
    }

    @Override
    public void send(ObjectNode message) {
        target.send(message);
    }

    @Override
    public void finish(ObjectNode response) {
        finished = true;
        target.send(response);
    }

    @Override
    public boolean isFinished() {
        return finished || target.isFinished();
    }
}
