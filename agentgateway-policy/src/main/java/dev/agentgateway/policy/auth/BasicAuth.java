package dev.agentgateway.policy.auth;

import dev.agentgateway.policy.internal.WatchedFile;
import static java.util.Objects.requireNonNull;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Principal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * HTTP Basic authentication (RFC 7617) against bcrypt hashes in an {@link Htpasswd} file or value.
 *
 * <pre>{@code
 * // the file is read again when it changes (polled every 5 seconds, or as set)
 * Policy auth = Authentication.required(BasicAuth.builder()
 *         .htpasswd(Path.of("/etc/agentgateway/htpasswd"), Duration.ofSeconds(10))
 *         .realm("internal tools").build());
 * // or fixed users:
 * BasicAuth.builder().users(Htpasswd.parse("alice:$2y$10$...")).build();
 * }</pre>
 *
 * <p>The principal is the user name with scheme {@code basic}; the accepted credential is
 * {@code user:password} with type {@code basic}. The challenge is {@code Basic realm="agentgateway",
 * charset="UTF-8"}. A malformed {@code Authorization: Basic} value (not base64, not UTF-8, no colon)
 * is refused with {@code invalid_request}; a wrong password or unknown user with {@code invalid_token}
 * and the same description, "Invalid user name or password".
 *
 * <p><b>Timing.</b> An unknown user is checked against a dummy bcrypt hash of the file's highest
 * cost, so it takes as long as a wrong password and the answer does not tell which users exist.
 * <b>Cache.</b> bcrypt is slow on purpose (cost 10 takes tens of milliseconds); a successful check is
 * remembered for 60 seconds for up to 10,000 users ({@link Builder#cache}), as a salted digest,
 * never the password. A changed password in the file takes effect at once; a wrong password is never
 * cached, so guessing stays slow. Passwords longer than 72 bytes are cut there, as bcrypt and
 * Apache's {@code htpasswd} do.
 */
public final class BasicAuth implements Authenticator {
    /** The principal's scheme and the credential's type. */
    public static final String SCHEME = "basic";

    private static final CredentialLocation BASIC = CredentialLocation.authorization("Basic");
    private static final String INVALID = "Invalid user name or password";
    private static final BCrypt.Verifyer BCRYPT = BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

    /** The users and the hash an unknown user is checked against. */
    private record Users(Htpasswd htpasswd, String dummyHash) {
        static Users of(Htpasswd htpasswd) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            int cost = htpasswd.maxCost() == 0 ? 10 : htpasswd.maxCost();
            String dummy = BCrypt.withDefaults().hashToString(cost, Base64.getEncoder().encodeToString(random).toCharArray());
            return new Users(htpasswd, dummy);
        }
    }

    /** What the builder set: {@code users} or {@code htpasswdFile}. */
    private record Settings(Htpasswd users, Path htpasswdFile, Duration pollInterval, String realm, Duration cacheTtl,
            int cacheSize) {
        WatchedFile<Users> watchedFile() {
            return new WatchedFile<>(htpasswdFile, "htpasswd file", path -> Users.of(Htpasswd.read(path)));
        }
    }

    private final Settings config;
    private final Users fixed;
    private final WatchedFile<Users> file;
    private final VerifiedPasswords verified;

    private BasicAuth(Settings config) {
        this.config = config;
        this.fixed = config.users() == null ? null : Users.of(config.users());
        this.file = config.users() == null ? config.watchedFile() : null;
        this.verified = new VerifiedPasswords(config.cacheTtl(), config.cacheSize());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public AuthResult authenticate(Exchange exchange) {
        List<String> values = BASIC.find(exchange);
        if (values.isEmpty()) {
            return AuthResult.absent();
        }
        if (values.size() > 1) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_REQUEST, "More than one Authorization header");
        }
        String decoded = decode(values.getFirst());
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon < 0) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_REQUEST, "Malformed Basic credentials");
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (!matches(user, password)) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, INVALID);
        }
        return AuthResult.authenticated(Principal.of(user, SCHEME), new Credential(SCHEME, decoded), BASIC);
    }

    private boolean matches(String user, String password) {
        Users users = file != null ? file.value() : fixed;
        String hash = users.htpasswd().hash(user);
        if (hash == null) {
            BCRYPT.verify(password.toCharArray(), users.dummyHash()); // as slow as a wrong password
            return false;
        }
        if (verified.contains(user, hash, password)) {
            return true;
        }
        boolean ok = BCRYPT.verify(password.toCharArray(), hash).verified;
        if (ok) {
            verified.put(user, hash, password);
        }
        return ok;
    }

    /** The base64 value as UTF-8 text, or {@code null} when it is neither. */
    private static String decode(String value) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public String challenge(AuthResult.Rejected rejection) {
        return Challenges.of("Basic", config.realm(), null, "charset", "UTF-8"); // RFC 7617 has no error parameters
    }

    /** For a file: an instance of its own that reads the file again when it changes, until {@link #close()}. */
    @Override
    public Authenticator bind(GatewayContext gateway) {
        if (file == null) {
            return this;
        }
        BasicAuth bound = new BasicAuth(config);
        bound.file.watch(gateway, config.pollInterval());
        return bound;
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }

    /** Configures a {@link BasicAuth}: {@link #users} or {@link #htpasswd} is required. */
    public static final class Builder {
        private Htpasswd users;
        private Path htpasswdFile;
        private Duration pollInterval = Duration.ofSeconds(5);
        private String realm = "agentgateway";
        private Duration cacheTtl = Duration.ofSeconds(60);
        private int cacheSize = 10_000;

        private Builder() {
        }

        /** Fixed users. */
        public Builder users(Htpasswd users) {
            this.users = requireNonNull(users, "users");
            this.htpasswdFile = null;
            return this;
        }

        /** Users from an htpasswd file, polled for changes every 5 seconds. */
        public Builder htpasswd(Path file) {
            return htpasswd(file, Duration.ofSeconds(5));
        }

        /**
         * Users from an htpasswd file, polled for changes every {@code pollInterval}; a change is read
         * once it has stayed for one interval, and a bad version keeps the last good one.
         */
        public Builder htpasswd(Path file, Duration pollInterval) {
            this.htpasswdFile = requireNonNull(file, "file");
            this.pollInterval = Checks.positive(pollInterval, "pollInterval");
            this.users = null;
            return this;
        }

        /** The realm named in the challenge; {@code "agentgateway"} by default. */
        public Builder realm(String realm) {
            this.realm = AuthRealm.check(realm);
            return this;
        }

        /**
         * How long a successful check is remembered, and for how many users at most; 60 seconds and
         * 10,000 by default, {@code maxUsers} 0 turns the cache off.
         */
        public Builder cache(Duration ttl, int maxUsers) {
            this.cacheTtl = Checks.positive(ttl, "ttl");
            if (maxUsers < 0) {
                throw new IllegalArgumentException("maxUsers must not be negative: " + maxUsers);
            }
            this.cacheSize = maxUsers;
            return this;
        }

        /**
         * The authenticator. An htpasswd file is read now.
         *
         * @throws IllegalArgumentException when the file cannot be read or is not valid
         */
        public BasicAuth build() {
            if (users == null && htpasswdFile == null) {
                throw new IllegalStateException("BasicAuth needs users(...) or htpasswd(...)");
            }
            return new BasicAuth(new Settings(users, htpasswdFile, pollInterval, realm, cacheTtl, cacheSize));
        }
    }
}
