package dev.agentgateway.a2a.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import dev.agentgateway.a2a.PushNotifications;

/**
 * Decides whether a push-notification webhook URL may be used, against server-side request forgery:
 * a client must not make an agent (or the gateway's relay) post to the loopback interface, a cloud
 * metadata service or the private network behind the gateway.
 */
public final class WebhookGuard {
    private final PushNotifications config;

    public WebhookGuard(PushNotifications config) {
        this.config = config;
    }

    /** {@code null} when {@code url} may be used, else why not (a sentence for the client). */
    public String check(String url) {
        if (url == null || url.isBlank()) {
            return "the push notification URL is missing";
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "the push notification URL is not a URL: " + url;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !config.requireHttps())) {
            return "the push notification URL must use " + (config.requireHttps() ? "https" : "http or https") + ": " + url;
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "the push notification URL has no host: " + url;
        }
        if (uri.getRawUserInfo() != null) {
            return "the push notification URL must not carry user information: " + url;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (config.allowedHosts().contains(bare.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (config.allowPrivateNetworks()) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return "the host of the push notification URL cannot be resolved: " + host;
        }
        for (InetAddress address : addresses) {
            String reason = forbidden(address);
            if (reason != null) {
                return "the push notification URL points to " + reason + " (" + address.getHostAddress()
                        + "), which this gateway does not allow: " + url;
            }
        }
        return null;
    }

    /** Why an address is not public, or {@code null} when it is. */
    static String forbidden(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return forbiddenV4(b);
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) {
                return "a unique-local (private) IPv6 address";
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
                return forbiddenV4(new byte[] {b[12], b[13], b[14], b[15]});
            }
            boolean nat64 = (b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B;
            if (nat64) {
                return forbiddenV4(new byte[] {b[12], b[13], b[14], b[15]});
            }
        }
        return null;
    }

    private static String forbiddenV4(byte[] b) {
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 127) {
            return "a loopback address";
        }
        if (first == 0) {
            return "the unspecified network";
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return "a private address";
        }
        if (first == 169 && second == 254) {
            return "a link-local address";
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return "a carrier-grade NAT address";
        }
        if (first == 192 && second == 0 && (b[2] & 0xFF) == 0) {
            return "an IETF protocol address";
        }
        if (first == 198 && (second == 18 || second == 19)) {
            return "a benchmarking address";
        }
        if (first >= 224) {
            return "a multicast or reserved address";
        }
        return null;
    }
}
