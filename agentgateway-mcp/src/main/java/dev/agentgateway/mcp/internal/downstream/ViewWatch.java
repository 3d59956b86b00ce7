package dev.agentgateway.mcp.internal.downstream;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one session's caller was last shown of each list, per target, as an order-free fingerprint of
 * the items as shown (after authorization and tool views): so that a list-changed notification reaches
 * the caller only when its own view changed ({@link ListChanges}). One {@code long} per list and target.
 *
 * <p>The view kept is the latest request's {@link Visibility}; its authorizer is asked again later, with
 * the policies then in force, about the facts of that request.
 */
final class ViewWatch {
    private volatile Visibility visibility = Visibility.ALL;
    private volatile Map<String, Long> shown;

    /** The latest request's view. */
    void saw(Visibility latest) {
        if (latest != Visibility.ALL) {
            visibility = latest;
        }
    }

    Visibility visibility() {
        return visibility;
    }

    /**
     * Records what a page of {@code kind} from {@code target} showed; a first page starts the list
     * again, a later page adds to it.
     */
    void served(ListKind kind, String target, long fingerprint, boolean firstPage) {
        Map<String, Long> map = shown();
        if (firstPage) {
            map.put(key(kind, target), fingerprint);
        } else {
            map.merge(key(kind, target), fingerprint, Long::sum);
        }
    }

    /** Records what the whole list shows now; whether that differs from what was shown before. */
    boolean changed(ListKind kind, String target, long fingerprint) {
        Long before = shown().put(key(kind, target), fingerprint);
        return before == null ? fingerprint != Fingerprints.EMPTY : before != fingerprint;
    }

    /** The lists this caller was shown. */
    Set<ListKind> listed() {
        Set<ListKind> kinds = EnumSet.noneOf(ListKind.class);
        Map<String, Long> map = shown;
        if (map != null) {
            for (String key : map.keySet()) {
                kinds.add(ListKind.valueOf(key.substring(0, key.indexOf(' '))));
            }
        }
        return kinds;
    }

    private Map<String, Long> shown() {
        Map<String, Long> map = shown;
        if (map == null) {
            synchronized (this) {
                if (shown == null) {
                    shown = new ConcurrentHashMap<>();
                }
                map = shown;
            }
        }
        return map;
    }

    private static String key(ListKind kind, String target) {
        return kind.name() + " " + target;
    }
}
