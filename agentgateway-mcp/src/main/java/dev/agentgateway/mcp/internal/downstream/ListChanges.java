package dev.agentgateway.mcp.internal.downstream;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List-changed notifications that follow each caller's view. When lists differ per caller (an
 * authorizer decides, or tool views apply):
 * <ul>
 *   <li>an upstream's {@code notifications/tools/list_changed} (prompts, resources) reaches the client
 *       only if the list that target shows this caller changed: the gateway asks the target for the list
 *       again and compares it with what the caller was last shown ({@link ViewWatch}). A change among
 *       tools the caller may not see tells it nothing;</li>
 *   <li>when authorization changes (a reloaded policy set), each list the caller was shown is decided
 *       again, and a notification is sent for each one that now looks different.</li>
 * </ul>
 * A target that cannot answer the new listing counts as changed: the client lists again and gets the
 * same answer any listing would. Without per-caller lists, notifications pass at once, as before.
 */
public final class ListChanges {
    private static final Logger LOG = LoggerFactory.getLogger(ListChanges.class);

    private final McpContext context;
    private final Lists lists;

    public ListChanges(McpContext context) {
        this.context = context;
        this.lists = new Lists(context);
    }

    /** Whether notifications for this session must be checked against its caller's view first. */
    static boolean checked(McpContext context, DownstreamSession session) {
        return new Lists(context).watching(session.views().visibility());
    }

    /** An upstream list-changed notification from {@code target}: delivered if this caller's view changed. */
    void fromUpstream(DownstreamSession session, String target, ObjectNode notification) {
        boolean changed = false;
        for (ListKind kind : kinds(notification.path("method").asText())) {
            changed |= changed(session, kind, target);
        }
        context.metrics().listChanged("upstream", changed);
        if (changed) {
            session.deliverUnrelated(notification);
        } else {
            LOG.debug("session {}: {} from '{}' changes nothing this caller sees; not forwarded",
                    session.shortId(), notification.path("method").asText(), target);
        }
    }

    /** Authorization changed: a notification for each list this caller was shown that now looks different. */
    public void review(DownstreamSession session) {
        if (!lists.watching(session.views().visibility())) {
            return;
        }
        Set<ListKind> listed = session.views().listed();
        boolean any = false;
        for (String capability : List.of("tools", "prompts", "resources")) {
            boolean changed = false;
            for (ListKind kind : listed) {
                if (kind.capability.equals(capability)) {
                    for (String target : context.targets().keySet()) {
                        changed |= changed(session, kind, target);
                    }
                }
            }
            any |= changed;
            if (changed) {
                LOG.debug("session {}: authorization changed what the caller sees of {}", session.shortId(), capability);
                session.deliverUnrelated(JsonRpc.notification("notifications/" + capability + "/list_changed", null));
            }
        }
        if (!listed.isEmpty()) {
            context.metrics().listChanged("authorization", any);
        }
    }

    private boolean changed(DownstreamSession session, ListKind kind, String target) {
        Long now = lists.fingerprint(session, kind, target, session.views().visibility(), session.caller());
        if (now == null) {
            return true;
        }
        return session.views().changed(kind, target, now);
    }

    private static List<ListKind> kinds(String method) {
        return switch (method) {
            case "notifications/tools/list_changed" -> List.of(ListKind.TOOLS);
            case "notifications/prompts/list_changed" -> List.of(ListKind.PROMPTS);
            default -> List.of(ListKind.RESOURCES, ListKind.RESOURCE_TEMPLATES);
        };
    }
}
