package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

/** Checks a realm for a {@code WWW-Authenticate} challenge, where it is written as a quoted string. */
final class AuthRealm {
    private AuthRealm() {
    }

    /** Returns {@code realm} if it can be quoted as it is: not empty, printable, without {@code "} or {@code \}. */
    static String check(String realm) {
        requireNonNull(realm, "realm");
        if (realm.isEmpty() || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("a realm must be printable ASCII without quotes or backslashes: " + realm);
        }
        return realm;
    }
}
