package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.agentgateway.core.Principal;

/**
 * Which callers get which {@link ToolView}s: per principal (by {@link Principal#subject()}), per group
 * (one of {@link Principal#roles()}), or for everyone. Views apply on top of the route's
 * {@link ToolFilter} and of authorization, and are computed from each request's principal.
 *
 * <pre>{@code
 * ToolViews.builder()
 *         .forPrincipal("alice", ToolView.of("github_search").describe("Alice's search"))
 *         .forGroup("interns", ToolView.of("github_delete_repo").hide(),
 *                 ToolView.of("github_search").rename("search").fix("org", "my-org"))
 *         .forEveryone(ToolView.of("github_search").restrict("repo", List.of("api", "web")))
 *         .build();
 * }</pre>
 *
 * <p><b>Precedence.</b> A caller's views are its principal's, then those of its groups in the order
 * the groups were configured, then everyone's; for each tool the first view naming it wins whole (views
 * are not merged). A caller without principal gets only everyone's views. Of two views that would give
 * one caller the same new name, the later is left out with a warning. A tool whose own name is a new
 * name of another tool for a caller is shadowed: the view wins, and the shadowed tool is left out of
 * that caller's {@code tools/list} with a warning, so that a call of the name always reaches the tool
 * the list showed (calls are routed without listing, so the view cannot be the one dropped).
 *
 * <p><b>Authorization.</b> The authorizer and the {@link ToolFilter} decide on original names, before
 * views apply: a tool they refuse stays hidden under its new name too, and Cedar policies keep naming
 * the real tool. The request-level {@link dev.agentgateway.core.Operation} of a {@code tools/call} is
 * recorded before authentication, when the caller's views are not known: it names the original tool
 * when the called name is a new name that no target could own and every view giving it agrees
 * ({@link #originalOf}), and the name as called otherwise. Either way the per-item check on the
 * original name, made once the caller is known and before anything goes upstream, is authoritative.
 *
 * <p><b>Checked at build.</b> Within one principal's, group's or everyone's views: a tool is viewed at
 * most once, and a new name must not repeat another new name or name a tool those views also name.
 */
public final class ToolViews {
    /** No views: every caller sees the tools as they are. */
    public static final ToolViews NONE = builder().build();

    private final Map<String, List<ToolView>> principals;
    private final Map<String, List<ToolView>> groups;
    private final List<ToolView> everyone;
    /** New name to original, {@code ""} when views disagree. */
    private final Map<String, String> originals = new HashMap<>();

    private ToolViews(Builder builder) {
        this.principals = Map.copyOf(builder.principals);
        this.groups = new LinkedHashMap<>(builder.groups);
        this.everyone = List.copyOf(builder.everyone);
        List<ToolView> all = new ArrayList<>(everyone);
        principals.values().forEach(all::addAll);
        groups.values().forEach(all::addAll);
        for (ToolView view : all) {
            if (view.newName() != null && !view.hidden()) {
                originals.merge(view.newName(), view.name(), (a, b) -> a.equals(b) ? a : "");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether there are no views at all. */
    public boolean isEmpty() {
        return principals.isEmpty() && groups.isEmpty() && everyone.isEmpty();
    }

    /**
     * The original name of the tool that every view giving the new name {@code newName} renames, or
     * {@code null} when no view gives that name or views give it to different tools.
     */
    public String originalOf(String newName) {
        String original = originals.get(newName);
        return original == null || original.isEmpty() ? null : original;
    }

    /** The views {@code principal} (or {@code null}: anonymous) gets, in precedence order; may name a tool more than once. */
    public List<ToolView> viewsFor(Principal principal) {
        List<ToolView> views = new ArrayList<>();
        if (principal != null) {
            views.addAll(principals.getOrDefault(principal.subject(), List.of()));
            groups.forEach((group, groupViews) -> {
                if (principal.roles().contains(group)) {
                    views.addAll(groupViews);
                }
            });
        }
        views.addAll(everyone);
        return views;
    }

    /** Collects views per audience; {@link #build()} checks each audience's views. */
    public static final class Builder {
        private final Map<String, List<ToolView>> principals = new LinkedHashMap<>();
        private final Map<String, List<ToolView>> groups = new LinkedHashMap<>();
        private final List<ToolView> everyone = new ArrayList<>();

        private Builder() {
        }

        /** Views for the principal whose subject is {@code subject}. */
        public Builder forPrincipal(String subject, ToolView... views) {
            add(principals, subject, "principal", views);
            return this;
        }

        /** Views for callers holding the group (role) {@code group}. */
        public Builder forGroup(String group, ToolView... views) {
            add(groups, group, "group", views);
            return this;
        }

        /** Views for every caller, anonymous ones included. */
        public Builder forEveryone(ToolView... views) {
            everyone.addAll(List.of(requireNonNull(views, "views")));
            return this;
        }

        public ToolViews build() {
            principals.forEach((subject, views) -> check("principal '" + subject + "'", views));
            groups.forEach((group, views) -> check("group '" + group + "'", views));
            check("everyone", everyone);
            return new ToolViews(this);
        }

        private static void add(Map<String, List<ToolView>> audiences, String who, String what, ToolView[] views) {
            requireNonNull(who, what);
            if (who.isBlank()) {
                throw new IllegalArgumentException("the " + what + " of tool views must not be empty");
            }
            audiences.computeIfAbsent(who, k -> new ArrayList<>()).addAll(List.of(requireNonNull(views, "views")));
        }

        private static void check(String audience, List<ToolView> views) {
            Set<String> names = new HashSet<>();
            for (ToolView view : views) {
                if (!names.add(view.name())) {
                    throw new IllegalArgumentException("tool views of " + audience + ": tool '" + view.name() + "' is viewed twice");
                }
            }
            Set<String> newNames = new HashSet<>();
            for (ToolView view : views) {
                if (view.newName() == null) {
                    continue;
                }
                if (names.contains(view.newName()) || !newNames.add(view.newName())) {
                    throw new IllegalArgumentException("tool views of " + audience + ": renaming '" + view.name() + "' to '"
                            + view.newName() + "' clashes with another tool of these views");
                }
            }
        }
    }
}
