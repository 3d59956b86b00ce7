package dev.agentgateway.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.agentgateway.core.PathMatch;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.ValueMatch;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.Fields;

/**
 * The routes of one gateway, sorted most specific first (the order documented on {@link Route}), so
 * that the first match wins.
 *
 * @param <T> what is stored with each route (its bound backend and policy chain)
 */
final class RouteTable<T> {
    private final List<Entry<T>> entries;

    record Entry<T>(Route route, T value, int order) {
    }

    /** A successful match: the entry and the path parameters it captured. */
    record Match<T>(Route route, T value, Map<String, String> pathParameters) {
    }

    RouteTable(List<Entry<T>> entries) {
        List<Entry<T>> sorted = new ArrayList<>(entries);
        sorted.sort(PRECEDENCE);
        this.entries = List.copyOf(sorted);
    }

    /** The routes in the order they are tried. */
    List<Route> routes() {
        return entries.stream().map(Entry::route).toList();
    }

    /**
     * Finds the route for a request.
     *
     * @param host the host name without port, any case
     * @param path the decoded, normalized path
     */
    Match<T> match(String method, String host, String path, HttpFields headers, Fields query) {
        String lowerHost = host == null ? "" : host.toLowerCase(Locale.ROOT);
        for (Entry<T> entry : entries) {
            Route route = entry.route();
            if (!route.methods().isEmpty() && !route.methods().contains(method)) {
                continue;
            }
            if (!route.hosts().isEmpty() && !hostMatches(route.hosts(), lowerHost)) {
                continue;
            }
            if (!headersMatch(route.headers(), headers) || !queryMatches(route.queryParameters(), query)) {
                continue;
            }
            Map<String, String> parameters = route.pathMatch().match(path);
            if (parameters != null) {
                return new Match<>(route, entry.value(), parameters);
            }
        }
        return null;
    }

    private static boolean hostMatches(List<String> hosts, String host) {
        for (String candidate : hosts) {
            if (candidate.startsWith("*.")) {
                if (host.endsWith(candidate.substring(1)) && host.length() > candidate.length() - 1) {
                    return true;
                }
            } else if (candidate.equals(host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean headersMatch(List<ValueMatch> conditions, HttpFields headers) {
        for (ValueMatch condition : conditions) {
            if (!condition.test(headers.getValuesList(condition.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean queryMatches(List<ValueMatch> conditions, Fields query) {
        for (ValueMatch condition : conditions) {
            Fields.Field field = query == null ? null : query.get(condition.name());
            if (field == null || !condition.test(field.getValues())) {
                return false;
            }
        }
        return true;
    }

    private static final Comparator<Entry<?>> PRECEDENCE = Comparator
            .<Entry<?>>comparingInt(e -> hostRank(e.route()))
            .thenComparingInt(e -> -hostLength(e.route()))
            .thenComparingInt(e -> pathKindRank(e.route().pathMatch()))
            .thenComparingInt(e -> -pathSpecificity(e.route().pathMatch()))
            .thenComparingInt(e -> e.route().methods().isEmpty() ? 1 : 0)
            .thenComparingInt(e -> -e.route().headers().size())
            .thenComparingInt(e -> -e.route().queryParameters().size())
            .thenComparingInt(Entry::order);

    /** 0 exact host, 1 wildcard host, 2 any host. */
    private static int hostRank(Route route) {
        if (route.hosts().isEmpty()) {
            return 2;
        }
        return route.hosts().stream().anyMatch(h -> !h.startsWith("*.")) ? 0 : 1;
    }

    private static int hostLength(Route route) {
        return route.hosts().stream().mapToInt(String::length).max().orElse(0);
    }

    private static int pathKindRank(PathMatch match) {
        return switch (match) {
            case PathMatch.Exact e -> 0;
            case PathMatch.Template t -> 1;
            case PathMatch.Regex r -> 2;
            case PathMatch.Prefix p -> 3;
        };
    }

    private static int pathSpecificity(PathMatch match) {
        return switch (match) {
            case PathMatch.Exact e -> e.path().length();
            case PathMatch.Template t -> t.literalLength();
            case PathMatch.Regex r -> 0;
            case PathMatch.Prefix p -> p.prefix().equals("/") ? 0 : p.prefix().length();
        };
    }
}
