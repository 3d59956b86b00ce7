package dev.agentgateway.policy.auth;

/** Builds {@code WWW-Authenticate} values (RFC 6750 section 3, RFC 7617). */
public final class Challenges {
    private Challenges() {
    }

    /**
     * {@code <scheme> realm="...", error="...", error_description="..."}, the error parts only when a
     * credential was refused; {@code extra} are further {@code name="value"} parameters in pairs.
     */
    public static String of(String scheme, String realm, AuthResult.Rejected rejection, String... extra) {
        StringBuilder challenge = new StringBuilder(scheme);
        String separator = " ";
        if (realm != null) {
            challenge.append(separator).append("realm=").append(quoted(realm));
            separator = ", ";
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] != null) {
                challenge.append(separator).append(extra[i]).append('=').append(quoted(extra[i + 1]));
                separator = ", ";
            }
        }
        if (rejection != null) {
            challenge.append(separator).append("error=").append(quoted(rejection.error()))
                    .append(", error_description=").append(quoted(rejection.description()));
        }
        return challenge.toString();
    }

    /** A quoted-string: quotes and backslashes escaped, control characters dropped. */
    static String quoted(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c >= 0x20 && c != 0x7f) {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
