package dev.agentgateway.policy.auth;

import static dev.agentgateway.policy.auth.AuthTestSupport.eventually;
import static dev.agentgateway.policy.auth.AuthTestSupport.forwarded;
import static dev.agentgateway.policy.auth.AuthTestSupport.get;
import static dev.agentgateway.policy.auth.AuthTestSupport.replace;
import static dev.agentgateway.policy.auth.AuthTestSupport.status;
import static dev.agentgateway.policy.auth.AuthTestSupport.tempFile;
import static dev.agentgateway.policy.auth.AuthTestSupport.whoAmI;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Basic authentication end to end, from fixed users and from an htpasswd file that changes. */
class BasicAuthTest {
    private static final String CHALLENGE = "Basic realm=\"tools\", charset=\"UTF-8\"";
    private static final Path FILE = tempFile("htpasswd", line("carol", "first password"));

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("fixed").pathPrefix("/fixed").policy(whoAmI())
                    .policy(Authentication.required(BasicAuth.builder().realm("tools")
                            .users(Htpasswd.parse(line("alice", "wonderland") + "\n" + line("bob", "builder"))).build()))
                    .backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("file").pathPrefix("/file")
                    .policy(Authentication.required(BasicAuth.builder().htpasswd(FILE, Duration.ofMillis(20)).build()))
                    .backend(HttpBackend.of(upstream.url()))));

    /** An htpasswd line with a cheap bcrypt hash, as {@code htpasswd -nbB -C 4} writes. */
    static String line(String user, String password) {
        return user + ":" + BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, password.toCharArray());
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRightPasswordPassesAndTheCredentialIsNotForwarded() throws Exception {
        HttpResponse<String> response = get(gateway, "/fixed", "Authorization", basic("alice:wonderland"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwarded(response, "authorization")).isEmpty();
        assertThat(forwarded(response, "x-principal")).containsExactly("basic:alice roles=[] claims={}");
        // a second time the verification comes from the cache, with the same answer
        assertThat(status(gateway, "/fixed", "Authorization", basic("alice:wonderland"))).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsRefusedWithABasicChallenge() throws Exception {
        assertThat(status(gateway, "/fixed", "Authorization", basic("bob:builder"))).isEqualTo(200);

        HttpResponse<String> response = get(gateway, "/fixed", "Authorization", basic("bob:wrecker"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
        assertThat(response.body()).contains("Invalid user name or password");
    }

    @Test
    void anUnknownUserGetsTheSameAnswerAsAWrongPassword() throws Exception {
        HttpResponse<String> unknown = get(gateway, "/fixed", "Authorization", basic("mallory:wonderland"));
        HttpResponse<String> wrong = get(gateway, "/fixed", "Authorization", basic("alice:guess"));

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(unknown.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
    }

    @Test
    void malformedCredentialsAreRefused() throws Exception {
        HttpResponse<String> notBase64 = get(gateway, "/fixed", "Authorization", "Basic ***");
        HttpResponse<String> noColon = get(gateway, "/fixed", "Authorization", basic("alice"));
        HttpResponse<String> notUtf8 = get(gateway, "/fixed", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xff}));

        for (HttpResponse<String> response : java.util.List.of(notBase64, noColon, notUtf8)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("Malformed Basic credentials");
            assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
        }
    }

    @Test
    void noCredentialsAskForThem() throws Exception {
        HttpResponse<String> response = get(gateway, "/fixed");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE);
    }

    @Test
    void theHtpasswdFileIsReadAgainWhenItChanges() throws Exception {
        assertThat(status(gateway, "/file", "Authorization", basic("carol:first password"))).isEqualTo(200);

        replace(FILE, line("carol", "second password") + "\n" + line("dave", "new here"));
        assertThat(eventually(() -> status(gateway, "/file", "Authorization", basic("dave:new here")) == 200)).isTrue();
        // carol's old password was cached as verified, but against her old hash: it no longer counts
        assertThat(status(gateway, "/file", "Authorization", basic("carol:first password"))).isEqualTo(401);
        assertThat(status(gateway, "/file", "Authorization", basic("carol:second password"))).isEqualTo(200);

        Files.writeString(FILE, "garbage without a colon\n");
        for (int i = 0; i < 10; i++) { // several poll intervals: the bad version never takes over
            assertThat(status(gateway, "/file", "Authorization", basic("dave:new here"))).isEqualTo(200);
            Thread.sleep(20);
        }
    }
}
