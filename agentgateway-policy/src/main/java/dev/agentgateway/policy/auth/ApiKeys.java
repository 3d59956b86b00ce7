package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Helpers for the people who issue API keys: make a new key, and the SHA-256 hash that is all the
 * gateway keeps of it.
 *
 * <pre>{@code
 * String key = ApiKeys.generate();          // "agw_" + 43 random base64url characters: give it to the client once
 * String hash = ApiKeys.sha256Hex(key);     // store this, in an ApiKeyStore or the file of a FileApiKeyStore
 * }</pre>
 *
 * <p>An unsalted SHA-256 is the right hash for API keys (unlike passwords) because a key is random
 * and long: there is no dictionary to try, so a slow hash would only slow every request. A key a human
 * chose would need {@link BasicAuth}'s bcrypt instead.
 */
public final class ApiKeys {
    /** Random bytes in a generated key: 256 bits. */
    private static final int KEY_BYTES = 32;

    private ApiKeys() {
    }

    /** A new random key, {@code agw_} followed by 32 random bytes in base64url. */
    public static String generate() {
        byte[] random = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(random);
        return "agw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        requireNonNull(key, "key");
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The SHA-256 of the key in lower-case hex (64 characters), the form a key file takes. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /**
     * Reads a SHA-256 written as 64 hex digits or as base64url (with or without padding).
     *
     * @throws IllegalArgumentException when it is neither, or not 32 bytes long
     */
    public static byte[] parseSha256(String text) {
        requireNonNull(text, "text");
        byte[] hash;
        try {
            hash = text.length() == 64 ? HexFormat.of().parseHex(text) : Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a SHA-256 must be 64 hex digits or base64url");
        }
        if (hash.length != 32) {
            throw new IllegalArgumentException("a SHA-256 is 32 bytes, this is " + hash.length);
        }
        return hash;
    }
}
