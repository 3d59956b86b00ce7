package dev.agentgateway.mcp.internal.downstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.agentgateway.core.Principal;

/**
 * Who a client session belongs to: a fingerprint of the principal that created it (scheme and subject),
 * or {@code null} for an anonymous caller. A session id presented by anyone else is treated as unknown,
 * so that a leaked or guessed id does not hand one caller's session, and its upstream sessions, to
 * another. A digest rather than the subject itself, so the session token carries no user name.
 */
public final class SessionOwner {

    private SessionOwner() {
    }

    /** The fingerprint of {@code principal}, or {@code null} for an anonymous caller. */
    public static String of(Principal principal) {
        if (principal == null) {
            return null;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(principal.scheme().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0); // so that ("ab", "c") and ("a", "bc") differ
            sha256.update(principal.subject().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
