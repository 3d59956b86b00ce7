package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One API key as the gateway knows it: its name, the caller it stands for, when it expires, and the
 * SHA-256 of the key. The key itself is never kept, and {@link #toString()} shows neither key nor hash.
 *
 * <pre>{@code
 * ApiKey ci = ApiKey.builder("ci-deploy")
 *         .key(secretFromVault)                  // hashed at once; or .sha256Hex("9f86d0...")
 *         .subject("ci").roles("deployer").metadata("team", "platform")
 *         .expiresAt(Instant.parse("2027-01-01T00:00:00Z"))
 *         .build();
 * }</pre>
 *
 * @param name identifies the key for revocation, logs and the {@code key_name} claim; unique in a store
 * @param subject the principal's subject ({@code name} unless set)
 * @param roles the principal's roles
 * @param metadata further facts, given to the principal as claims
 * @param expiresAt when the key stops working, or {@code null} for never
 * @param sha256 the SHA-256 of the key (the accessor returns a copy)
 */
public record ApiKey(String name, String subject, Set<String> roles, Map<String, String> metadata, Instant expiresAt,
        byte[] sha256) {

    public ApiKey {
        requireNonNull(name, "name");
        requireNonNull(subject, "subject");
        roles = Set.copyOf(requireNonNull(roles, "roles"));
        metadata = Map.copyOf(requireNonNull(metadata, "metadata"));
        requireNonNull(sha256, "sha256");
        if (name.isBlank() || subject.isBlank()) {
            throw new IllegalArgumentException("an API key needs a name and a subject");
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("API key '" + name + "': a SHA-256 is 32 bytes, got " + sha256.length);
        }
        sha256 = sha256.clone();
    }

    /** A builder for the key called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Whether the key no longer works at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey key && name.equals(key.name) && subject.equals(key.subject)
                && roles.equals(key.roles) && metadata.equals(key.metadata) && Objects.equals(expiresAt, key.expiresAt)
                && Arrays.equals(sha256, key.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, subject, roles, metadata, expiresAt, Arrays.hashCode(sha256));
    }

    /** Name, subject, roles and expiry; never the hash, so that a log line cannot help guess the key. */
    @Override
    public String toString() {
        return "ApiKey[name=" + name + ", subject=" + subject + ", roles=" + roles
                + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "]";
    }

    /** Builds an {@link ApiKey}; {@link #key} or {@link #sha256Hex} is required. */
    public static final class Builder {
        private final String name;
        private String subject;
        private Set<String> roles = Set.of();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Instant expiresAt;
        private byte[] sha256;

        private Builder(String name) {
            this.name = requireNonNull(name, "name");
        }

        /** The key itself: only its SHA-256 is kept. */
        public Builder key(String key) {
            this.sha256 = ApiKeys.sha256(key);
            return this;
        }

        /** The key's SHA-256, as hex or base64url (see {@link ApiKeys#parseSha256}). */
        public Builder sha256Hex(String hash) {
            this.sha256 = ApiKeys.parseSha256(hash);
            return this;
        }

        /** The key's SHA-256. */
        public Builder sha256(byte[] hash) {
            this.sha256 = requireNonNull(hash, "hash").clone();
            return this;
        }

        /** The principal's subject; the key's name by default. */
        public Builder subject(String subject) {
            this.subject = requireNonNull(subject, "subject");
            return this;
        }

        /** The principal's roles (replacing any set before). */
        public Builder roles(String... roles) {
            this.roles = Set.copyOf(List.of(roles));
            return this;
        }

        /** The principal's roles (replacing any set before). */
        public Builder roles(Set<String> roles) {
            this.roles = Set.copyOf(roles);
            return this;
        }

        /** Adds a metadata entry, a claim of the principal. */
        public Builder metadata(String key, String value) {
            metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** Adds metadata entries. */
        public Builder metadata(Map<String, String> entries) {
            entries.forEach(this::metadata);
            return this;
        }

        /** When the key stops working; never by default. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public ApiKey build() {
            if (sha256 == null) {
                throw new IllegalStateException("API key '" + name + "': set key(...) or sha256Hex(...)");
            }
            return new ApiKey(name, subject == null ? name : subject, roles, metadata, expiresAt, sha256);
        }
    }
}
