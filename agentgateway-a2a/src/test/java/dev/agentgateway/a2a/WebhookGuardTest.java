package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.a2a.internal.WebhookGuard;
import org.junit.jupiter.api.Test;

/** Which webhook URLs pass the SSRF check, by address range and configuration. */
class WebhookGuardTest {
    private final WebhookGuard strict = new WebhookGuard(PushNotifications.validate());

    @Test
    void publicAddressesPass() {
        assertThat(strict.check("https://93.184.216.34/hook")).isNull();
        assertThat(strict.check("http://[2606:2800:220:1:248:1893:25c8:1946]/hook")).isNull();
    }

    @Test
    void nonPublicRangesAreRefusedWithTheReason() {
        assertThat(strict.check("http://127.0.0.1/")).contains("loopback");
        assertThat(strict.check("http://0.0.0.0/")).contains("unspecified");
        assertThat(strict.check("http://169.254.169.254/latest")).contains("link-local");
        assertThat(strict.check("http://10.0.0.1/")).contains("private");
        assertThat(strict.check("http://172.31.255.255/")).contains("private");
        assertThat(strict.check("http://192.168.0.10/")).contains("private");
        assertThat(strict.check("http://100.64.0.1/")).contains("carrier-grade NAT");
        assertThat(strict.check("http://224.0.0.1/")).contains("multicast");
        assertThat(strict.check("http://[::1]/")).contains("loopback");
        assertThat(strict.check("http://[fe80::1]/")).contains("link-local");
        assertThat(strict.check("http://[fd12:3456::1]/")).contains("unique-local");
        assertThat(strict.check("http://[::ffff:127.0.0.1]/")).contains("loopback");
        assertThat(strict.check("http://[64:ff9b::a00:1]/")).contains("private");
    }

    @Test
    void malformedOrUnsupportedUrlsAreRefused() {
        assertThat(strict.check("file:///etc/passwd")).contains("must use http or https");
        assertThat(strict.check("http://user:pw@93.184.216.34/")).contains("user information");
        assertThat(strict.check("not a url")).isNotNull();
        assertThat(strict.check("")).contains("missing");
    }

    @Test
    void configurationWidensOrNarrowsWhatPasses() {
        assertThat(new WebhookGuard(PushNotifications.validate().allowPrivateNetworks(true)).check("http://127.0.0.1:8080/h")).isNull();
        assertThat(new WebhookGuard(PushNotifications.validate().allowHosts("hooks.internal")).check("http://hooks.internal/h")).isNull();
        assertThat(new WebhookGuard(PushNotifications.validate().requireHttps(true)).check("http://93.184.216.34/h")).contains("https");
    }
}
