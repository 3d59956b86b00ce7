package dev.agentgateway.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;

import dev.agentgateway.core.Exchange;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** Which connections are checked, and which entries a list may hold (the served behaviour is in DnsRebindingTest). */
class AllowedHostsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress PUBLIC = new InetSocketAddress("192.0.2.10", 8080);

    /** An exchange that knows only what the check reads. */
    private static Exchange arriving(InetSocketAddress local, String host) {
        HttpFields.Mutable headers = HttpFields.build().put("Host", host);
        return (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(), new Class<?>[] {Exchange.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "localAddress" -> local;
                    case "requestHeaders" -> headers;
                    case "authority" -> host;
                    case "scheme" -> "http";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void byDefaultOnlyLoopbackConnectionsAreChecked() {
        assertThat(AllowedHosts.LOOPBACK.refused(arriving(LOOPBACK, "evil.example"))).isEqualTo("evil.example");
        assertThat(AllowedHosts.LOOPBACK.refused(arriving(PUBLIC, "mcp.example.com"))).isNull();
    }

    @Test
    void aListIsCheckedOnEveryConnection() {
        AllowedHosts listed = AllowedHosts.of("mcp.example.com");
        assertThat(listed.refused(arriving(PUBLIC, "mcp.example.com"))).isNull();
        assertThat(listed.refused(arriving(PUBLIC, "localhost:3000"))).isNull();
        assertThat(listed.refused(arriving(PUBLIC, "evil.example"))).isEqualTo("evil.example");
    }

    @Test
    void aListedPortWithoutAPortInTheHostIsTheSchemesDefault() {
        AllowedHosts listed = AllowedHosts.of("mcp.example.com:80");
        assertThat(listed.refused(arriving(PUBLIC, "mcp.example.com"))).isNull();
        assertThat(listed.refused(arriving(PUBLIC, "mcp.example.com:8080"))).isEqualTo("mcp.example.com:8080");
    }

    @Test
    void anUnparsableHostIsRefused() {
        assertThat(AllowedHosts.LOOPBACK.refused(arriving(LOOPBACK, "local host"))).isEqualTo("local host");
    }

    @Test
    void entriesMustBeHosts() {
        for (String bad : new String[] {"", "http://mcp.example.com", "mcp.example.com/path", "user@mcp.example.com",
                "mcp.example.com:99999", "*.example.com", "[::1"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> AllowedHosts.of(bad))
                    .withMessageContaining("allowedHosts").withMessageContaining("'" + bad + "'");
        }
    }
}
