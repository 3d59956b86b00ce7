package dev.agentgateway.mcp.internal.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.mcp.internal.Naming;
import static dev.agentgateway.mcp.internal.TaskFields.RELATED_TASK;

/**
 * Task ids as the client sees them. With prefixes a target's task {@code t1} is {@code target+t1},
 * as a resource URI is, so {@code tasks/get}, {@code tasks/result} and {@code tasks/cancel} route back
 * to the target without any state in the gateway. Without prefixes and with several targets, the owner
 * of each id the session was shown is remembered; an id two targets gave is ambiguous and unknown.
 */
final class TaskIds {
    private static final String OWNERS = "tasks";

    private final Naming naming;

    TaskIds(Naming naming) {
        this.naming = naming;
    }

    /** {@code target}'s task id as the client sees it; remembers its owner when names do not carry it. */
    String outward(DownstreamSession session, String target, String taskId) {
        if (naming.needsLookup()) {
            session.owners(OWNERS).merge(taskId, target, (known, added) -> known.equals(added) ? known : "");
        }
        return naming.uri(target, taskId);
    }

    /** The target and its own id for a task id the client sent, or {@code null} when no target gave it. */
    Naming.Owned inward(DownstreamSession session, String taskId) {
        if (taskId == null) {
            return null;
        }
        if (!naming.needsLookup()) {
            return naming.resolveUri(taskId);
        }
        String owner = session.owners(OWNERS).get(taskId);
        return owner == null || owner.isEmpty() ? null : new Naming.Owned(owner, taskId);
    }

    /** Rewrites {@code holder.taskId} from {@code target}'s form to the client's. */
    void outwardField(DownstreamSession session, String target, JsonNode holder) {
        if (holder instanceof ObjectNode object && object.get("taskId") instanceof TextNode id) {
            object.put("taskId", outward(session, target, id.asText()));
        }
    }

    /** Rewrites the task a message's {@code _meta} relates it to ({@code holder} is its params or result). */
    void outwardMeta(DownstreamSession session, String target, JsonNode holder) {
        outwardField(session, target, holder == null ? null : holder.path("_meta").path(RELATED_TASK));
    }

    /** The reverse of {@link #outwardMeta} for a client's message to {@code target}: its own task id back. */
    void inwardMeta(DownstreamSession session, String target, JsonNode holder) {
        if (holder == null || !(holder.path("_meta").path(RELATED_TASK) instanceof ObjectNode related)
                || !(related.get("taskId") instanceof TextNode id)) {
            return;
        }
        Naming.Owned owned = inward(session, id.asText());
        if (owned != null && owned.target().equals(target)) {
            related.put("taskId", owned.name());
        }
    }
}
