package dev.agentgateway.a2a;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.agentgateway.core.Checks;

/**
 * What the gateway does with the webhook URLs clients register for push notifications (in
 * {@code SendMessage} configuration and the push-config methods of both bindings and generations).
 *
 * <ul>
 * <li>{@link Mode#VALIDATE} (the default): URLs are checked against server-side request forgery and
 *     passed to the agent unchanged. A URL is refused (JSON-RPC {@code -32602}, REST 400) unless its
 *     scheme is http or https and every address its host resolves to is public: no loopback,
 *     link-local (cloud metadata services), private (RFC 1918, IPv6 unique-local), carrier-grade NAT,
 *     unspecified or multicast address. The agent delivers to the client directly; this keeps
 *     end-to-end webhook credentials, but the agent must be able to reach the client, and a host that
 *     resolves differently later (DNS rebinding) is not caught.</li>
 * <li>{@link Mode#RELAY}: the gateway replaces each webhook with its own callback URL
 *     ({@code {relayBase}/_push/{id}} under the agent's route) and a token it issues, keeps the
 *     client's URL, token and credentials, and forwards every notification the agent posts there to
 *     the client's URL, checking the URL again at delivery. Agents never learn client addresses or
 *     credentials, and clients need not be reachable from the agents' network. Push-config answers
 *     show the client's own URL again. Relays live in the gateway's memory (a restart forgets them).
 *     The callback path is served by the agent's own route, so that route's policies apply to the
 *     agent's deliveries too: the gateway-issued token (header {@code X-A2A-Notification-Token}, the
 *     A2A SDKs' default) is what authenticates them; exempt the path from caller authentication if the
 *     route has any. A delivery is forwarded once, synchronously: the agent sees the client webhook's
 *     failure and retries as A2A asks agents to.</li>
 * <li>{@link Mode#PASS_THROUGH}: no check, no change.</li>
 * </ul>
 *
 * <pre>{@code
 * PushNotifications.validate();                                      // default
 * PushNotifications.relay().relayBaseUrl("http://gateway.internal:8080");
 * PushNotifications.validate().allowPrivateNetworks(true);           // e.g. everything on one host in tests
 * }</pre>
 *
 * @param mode what is done
 * @param allowPrivateNetworks whether loopback, link-local and private addresses are accepted
 * @param requireHttps whether plain http webhook URLs are refused
 * @param allowedHosts host names (lower case) accepted whatever they resolve to
 * @param relayBaseUrl where agents reach the gateway for relayed notifications; {@code null} for the gateway's own address
 * @param deliveryTimeout how long a relayed delivery to the client's webhook may take
 * @param maxRelays how many relays are kept (the oldest are forgotten first)
 */
public record PushNotifications(Mode mode, boolean allowPrivateNetworks, boolean requireHttps, Set<String> allowedHosts,
                                URI relayBaseUrl, Duration deliveryTimeout, int maxRelays) {

    /** What the gateway does with push-notification webhook URLs. */
    public enum Mode { VALIDATE, RELAY, PASS_THROUGH }

    public PushNotifications {
        requireNonNull(mode, "mode");
        allowedHosts = Set.copyOf(requireNonNull(allowedHosts, "allowedHosts"));
        Checks.positive(deliveryTimeout, "deliveryTimeout");
        if (maxRelays < 1) {
            throw new IllegalArgumentException("maxRelays must be at least 1: " + maxRelays);
        }
        if (relayBaseUrl != null) {
            String scheme = relayBaseUrl.getScheme() == null ? "" : relayBaseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || relayBaseUrl.getHost() == null) {
                throw new IllegalArgumentException("relayBaseUrl must be an http or https URL: " + relayBaseUrl);
            }
        }
    }

    /** Check webhook URLs, pass them on unchanged (the default). */
    public static PushNotifications validate() {
        return new PushNotifications(Mode.VALIDATE, false, false, Set.of(), null, Duration.ofSeconds(10), 10_000);
    }

    /** Check webhook URLs and relay notifications through the gateway. */
    public static PushNotifications relay() {
        return new PushNotifications(Mode.RELAY, false, false, Set.of(), null, Duration.ofSeconds(10), 10_000);
    }

    /** Neither check nor change webhook URLs. */
    public static PushNotifications passThrough() {
        return new PushNotifications(Mode.PASS_THROUGH, false, false, Set.of(), null, Duration.ofSeconds(10), 10_000);
    }

    /** Accepts loopback, link-local and private addresses too (for a gateway whose clients all sit in one trusted network). */
    public PushNotifications allowPrivateNetworks(boolean allow) {
        return new PushNotifications(mode, allow, requireHttps, allowedHosts, relayBaseUrl, deliveryTimeout, maxRelays);
    }

    /** Refuses plain http webhook URLs. */
    public PushNotifications requireHttps(boolean require) {
        return new PushNotifications(mode, allowPrivateNetworks, require, allowedHosts, relayBaseUrl, deliveryTimeout, maxRelays);
    }

    /** Accepts these host names whatever they resolve to. */
    public PushNotifications allowHosts(String... hosts) {
        Set<String> all = new HashSet<>(allowedHosts);
        for (String host : hosts) {
            requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("an allowed host must not be blank");
            }
            all.add(host.toLowerCase(Locale.ROOT));
        }
        return new PushNotifications(mode, allowPrivateNetworks, requireHttps, all, relayBaseUrl, deliveryTimeout, maxRelays);
    }

    /** Where agents reach the gateway for relayed notifications (default: the gateway's own address). */
    public PushNotifications relayBaseUrl(String url) {
        requireNonNull(url, "relayBaseUrl");
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("relayBaseUrl is not a URL: " + url, e);
        }
        return new PushNotifications(mode, allowPrivateNetworks, requireHttps, allowedHosts, uri, deliveryTimeout, maxRelays);
    }

    /** How long a relayed delivery may take (default 10 s). */
    public PushNotifications deliveryTimeout(Duration timeout) {
        return new PushNotifications(mode, allowPrivateNetworks, requireHttps, allowedHosts, relayBaseUrl, timeout, maxRelays);
    }

    /** How many relays are kept (default 10,000; the oldest are forgotten first). */
    public PushNotifications maxRelays(int max) {
        return new PushNotifications(mode, allowPrivateNetworks, requireHttps, allowedHosts, relayBaseUrl, deliveryTimeout, max);
    }
}
