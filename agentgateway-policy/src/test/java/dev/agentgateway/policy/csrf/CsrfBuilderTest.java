package dev.agentgateway.policy.csrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.agentgateway.core.Policy;
import org.junit.jupiter.api.Test;

/** Mistakes in the configuration fail where they are made, naming what is wrong. */
class CsrfBuilderTest {

    @Test
    void trustedOriginsMustBeExactOrigins() {
        for (String bad : new String[] {"*", "null", "https://*.example.com", "https://app.example.com/", "https://a.example/path",
                "app.example.com", "https://user@app.example.com", "https://app.example.com?x", "", "http://"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> Csrf.builder().trustedOrigins(bad))
                    .withMessageContaining("trustedOrigins: not an origin").withMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void nullArgumentsAreNamed() {
        assertThatNullPointerException().isThrownBy(() -> Csrf.builder().trustedOrigins((String) null)).withMessage("origin");
        assertThatNullPointerException().isThrownBy(() -> Csrf.builder().exempt(null)).withMessage("match");
    }

    @Test
    void exemptPathsMustBePaths() {
        assertThatIllegalArgumentException().isThrownBy(() -> Csrf.builder().exemptPath("hooks"));
        assertThatIllegalArgumentException().isThrownBy(() -> Csrf.builder().exemptPathPrefix("hooks"));
    }

    @Test
    void originsAreComparedInOneForm() {
        assertThat(Origins.normalize("HTTPS://App.Example.COM")).isEqualTo("https://app.example.com:443");
        assertThat(Origins.normalize("http://app.example.com:80")).isEqualTo("http://app.example.com:80");
        assertThat(Origins.normalize("http://[::1]:3000")).isEqualTo("http://[::1]:3000");
        assertThat(Origins.normalize("chrome-extension://abcdef")).isEqualTo("chrome-extension://abcdef");
        assertThat(Origins.normalize("null")).isNull();
        assertThat(Origins.of("http", "localhost")).isEqualTo("http://localhost:80");
    }

    @Test
    void runsBeforeAuthentication() {
        assertThat(Csrf.builder().build().phase()).isEqualTo(Policy.Phase.PREFLIGHT);
    }
}
