package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;

import dev.agentgateway.core.Tls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in TLS files fail when the configuration is built, with a message naming the file. */
class TlsConfigurationTest {
    @TempDir
    static Path dir;
    static TestPki.Leaf leaf;
    static Path chain;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki pki = new TestPki(dir);
        leaf = pki.leaf(pki.ca("config-ca"), "config", TestPki.KeyType.EC, "dns:localhost");
        chain = TestPki.writeChain(dir.resolve("config.crt"), leaf.chain());
    }

    @Test
    void aKeyOfAnotherCertificateFails() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        Path stranger = TestPki.writePkcs8(dir.resolve("stranger.key"), generator.generateKeyPair().getPrivate());
        assertThatThrownBy(() -> Tls.pem(chain, stranger))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stranger.key").hasMessageContaining("does not belong to the first certificate");
    }

    @Test
    void anEncryptedKeyFailsWithAHint() throws Exception {
        Path encrypted = TestPki.write(dir.resolve("encrypted.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Tls.pem(chain, encrypted)).hasMessageContaining("encrypted key").hasMessageContaining("openssl pkey");
    }

    @Test
    void aFileWithoutKeyOrCertificateFails() throws Exception {
        Path empty = TestPki.write(dir.resolve("empty.pem"), "nothing here\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Tls.pem(chain, empty)).hasMessageContaining("empty.pem holds no PEM private key");
        Path key = TestPki.writePkcs8(dir.resolve("config.key"), leaf.key());
        assertThatThrownBy(() -> Tls.pem(empty, key)).hasMessageContaining("empty.pem holds no PEM certificate");
    }

    @Test
    void aKeyStoreWithAWrongPasswordFails() throws Exception {
        Path store = TestPki.writeKeyStore(dir.resolve("config.p12"), leaf);
        assertThatThrownBy(() -> Tls.keyStore(store, "wrong")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not load");
    }

    @Test
    void missingPartsFailAtOnce() throws Exception {
        assertThatThrownBy(() -> Tls.builder().build()).hasMessageContaining("at least one identity");
        assertThatThrownBy(() -> Tls.pem(dir.resolve("absent.crt"), chain)).hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> Tls.builder().clientAuth(Tls.ClientAuth.REQUIRE, null)).hasMessageContaining("caBundle");
        assertThatThrownBy(() -> Tls.builder().reloadInterval(Duration.ofSeconds(-1))).hasMessageContaining("reloadInterval");
    }

    @Test
    void theConfigurationListsItsFiles() throws Exception {
        Path key = TestPki.writePkcs8(dir.resolve("listed.key"), leaf.key());
        Tls tls = Tls.builder().pem(chain, key).clientAuth(Tls.ClientAuth.REQUEST, chain).reloadInterval(Duration.ZERO).build();
        assertThat(tls.files()).containsExactly(chain, key, chain);
        assertThat(tls.reloadInterval()).isZero();
    }
}
