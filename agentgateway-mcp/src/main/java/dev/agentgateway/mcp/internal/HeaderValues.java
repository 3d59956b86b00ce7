package dev.agentgateway.mcp.internal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Values of the modern era's mirrored request headers ({@code Mcp-Name}, {@code Mcp-Param-*}): compared
 * after trimming optional whitespace, and a value sent as {@code =?base64?<UTF-8 as base64>?=} (how
 * clients send non-ASCII, control characters or edge whitespace) is decoded first.
 */
public final class HeaderValues {
    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";

    private HeaderValues() {
    }

    /** The value a header carries, or {@code null} when its base64 form is malformed. */
    public static String decode(String raw) {
        String value = raw.strip();
        if (!value.startsWith(PREFIX) || !value.endsWith(SUFFIX) || value.length() < PREFIX.length() + SUFFIX.length()) {
            return value;
        }
        String encoded = value.substring(PREFIX.length(), value.length() - SUFFIX.length());
        if (encoded.length() % 4 != 0) {
            return null; // padding is required: Java's decoder would accept "SGVsbG8"
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }

    /** How {@code value} travels in a header: as it is when plain visible ASCII, else in the base64 form. */
    public static String encode(String value) {
        boolean plain = !value.isEmpty() && !value.startsWith(PREFIX);
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c >= 0x20 && c < 0x7f;
        }
        if (plain && value.strip().length() == value.length()) {
            return value;
        }
        return PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
    }
}
