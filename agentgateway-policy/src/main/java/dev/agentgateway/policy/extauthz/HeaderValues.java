package dev.agentgateway.policy.extauthz;

import java.nio.charset.StandardCharsets;

/** Header values that survive any HTTP stack: printable ASCII, the rest (and {@code %}) percent-encoded as UTF-8. */
final class HeaderValues {
    private HeaderValues() {
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
