package dev.agentgateway.mcp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Self-contained tokens (session ids, list cursors): AES-GCM with a 96-bit random nonce and a 128-bit
 * tag, base64url without padding. The purpose is bound as associated data, so a cursor can never be
 * replayed as a session id. Anyone holding the key can open them: give every replica the same key.
 */
public final class SealedTokens {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param key 16, 24 or 32 bytes, or {@code null} for a random 256-bit key */
    public SealedTokens(byte[] key) {
        byte[] material = key;
        if (material == null) {
            material = new byte[32];
            random.nextBytes(material);
        }
        this.key = new SecretKeySpec(material, "AES");
    }

    /** Encrypts {@code plaintext} for {@code purpose}. */
    public String seal(String purpose, byte[] plaintext) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Decrypts a token made by {@link #seal} for the same purpose; {@code null} if it is not one. */
    public byte[] open(String purpose, String token) {
        if (token == null || token.length() < 24 || token.length() > 16_384) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length < NONCE + TAG_BITS / 8) {
            return null;
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(raw, NONCE, raw.length - NONCE);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Random bytes, base64url. */
    public String randomId(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
