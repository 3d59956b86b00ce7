package dev.agentgateway.mcp.internal;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.agentgateway.core.Exchange;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The {@code Host} values an MCP endpoint answers, against DNS rebinding: a page on {@code evil.example}
 * whose name is made to resolve to {@code 127.0.0.1} reaches a local server as a same-origin request
 * that carries no {@code Origin} on {@code GET}, but its {@code Host} still says {@code evil.example}.
 *
 * <p>Loopback names ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}, any port) are always
 * accepted. Without a list ({@link #LOOPBACK}) only requests that arrived on a loopback address are
 * checked, so a gateway reached by its public name keeps working; with a list every request is
 * checked; {@code "*"} turns the check off.
 *
 * @param entries lower-case {@code host} (any port) or {@code host:port} entries
 * @param everyConnection whether requests on other than loopback addresses are checked too
 * @param any whether every {@code Host} is accepted
 */
public record AllowedHosts(List<String> entries, boolean everyConnection, boolean any) {
    /** The default: loopback names only, checked on loopback connections. */
    public static final AllowedHosts LOOPBACK = new AllowedHosts(List.of(), false, false);

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\\d{1,5}))?");

    public AllowedHosts {
        entries = List.copyOf(entries);
    }

    /**
     * The list a user gave, each entry checked.
     *
     * @throws IllegalArgumentException naming {@code allowedHosts} and the entry that is not a host
     */
    public static AllowedHosts of(String... hosts) {
        requireNonNull(hosts, "hosts");
        List<String> checked = new ArrayList<>();
        boolean any = false;
        for (String host : hosts) {
            requireNonNull(host, "host");
            if (host.equals("*")) {
                any = true;
                continue;
            }
            Matcher matcher = HOST.matcher(host.toLowerCase(Locale.ROOT));
            if (!matcher.matches() || (matcher.group(3) != null && Integer.parseInt(matcher.group(3)) > 65535)) {
                throw new IllegalArgumentException("allowedHosts: not a host name or address (host, host:port, [v6]:port) or '*': '"
                        + host + "'");
            }
            checked.add(host.toLowerCase(Locale.ROOT));
        }
        return new AllowedHosts(checked, true, any);
    }

    /** The {@code Host} the request names when it is not accepted, else {@code null}. */
    public String refused(Exchange exchange) {
        if (any || !everyConnection && !loopback(exchange.localAddress())) {
            return null;
        }
        String host = exchange.requestHeaders().get(HttpHeader.HOST);
        if (host == null) {
            host = exchange.authority(); // HTTP/2 carries it as :authority
        }
        Matcher matcher = HOST.matcher(host.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return host;
        }
        String name = matcher.group(1);
        if (LOOPBACK_NAMES.contains(name) || entries.contains(name)) {
            return null;
        }
        String port = matcher.group(3) != null ? matcher.group(3) : "https".equals(exchange.scheme()) ? "443" : "80";
        return entries.contains(name + ":" + port) ? null : host;
    }

    private static boolean loopback(InetSocketAddress local) {
        return local == null || local.getAddress() == null || local.getAddress().isLoopbackAddress();
    }
}
