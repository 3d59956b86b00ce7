package dev.agentgateway.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgateway.core.Credential;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The key record, hashing helpers and the in-memory store, without a gateway. */
class ApiKeyTest {
    private static final String KEY = "agw_secret-value-123";

    @Test
    void neitherKeyNorHashAppearsInToString() {
        ApiKey key = ApiKey.builder("ci").key(KEY).roles("deployer").build();

        assertThat(key.toString()).doesNotContain(KEY).doesNotContain(ApiKeys.sha256Hex(KEY))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(ApiKeys.sha256(KEY)))
                .contains("ci", "deployer");
        assertThat(new Credential(ApiKeyAuth.SCHEME, KEY).toString()).doesNotContain(KEY);
    }

    @Test
    void subjectDefaultsToTheName() {
        assertThat(ApiKey.builder("ci").key(KEY).build().subject()).isEqualTo("ci");
    }

    @Test
    void hashIsCopiedInAndOut() {
        byte[] hash = ApiKeys.sha256(KEY);
        ApiKey key = ApiKey.builder("ci").sha256(hash).build();
        hash[0] ^= 1;
        key.sha256()[1] ^= 1;

        assertThat(key.sha256()).isEqualTo(ApiKeys.sha256(KEY));
        assertThat(key).isEqualTo(ApiKey.builder("ci").key(KEY).build());
    }

    @Test
    void hashesAreReadAsHexOrBase64Url() {
        byte[] hash = ApiKeys.sha256(KEY);

        assertThat(ApiKeys.parseSha256(HexFormat.of().formatHex(hash))).isEqualTo(hash);
        assertThat(ApiKeys.parseSha256(Base64.getUrlEncoder().withoutPadding().encodeToString(hash))).isEqualTo(hash);
        assertThat(ApiKeys.parseSha256(Base64.getUrlEncoder().encodeToString(hash))).isEqualTo(hash);
        assertThatThrownBy(() -> ApiKeys.parseSha256("abcd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parseSha256("z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatedKeysAreLongRandomAndDotless() {
        String one = ApiKeys.generate();

        assertThat(one).startsWith("agw_").hasSize(47).doesNotContain(".");
        assertThat(one).isNotEqualTo(ApiKeys.generate());
    }

    @Test
    void expiryIsExclusive() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        ApiKey key = ApiKey.builder("ci").key(KEY).expiresAt(at).build();

        assertThat(key.expiredAt(at.minusMillis(1))).isFalse();
        assertThat(key.expiredAt(at)).isTrue();
    }

    @Test
    void storeRefusesDuplicateNamesAndKeys() {
        InMemoryApiKeyStore store = InMemoryApiKeyStore.of(ApiKey.builder("a").key(KEY).build());

        assertThatThrownBy(() -> store.add(ApiKey.builder("a").key("other").build()))
                .hasMessageContaining("named 'a'");
        assertThatThrownBy(() -> store.add(ApiKey.builder("b").key(KEY).build()))
                .hasMessageContaining("same key as 'a'").hasMessageNotContaining(ApiKeys.sha256Hex(KEY));
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.lookup(ApiKeys.sha256(KEY)).name()).isEqualTo("a");
        assertThat(store.lookup(ApiKeys.sha256("other"))).isNull();
    }
}
