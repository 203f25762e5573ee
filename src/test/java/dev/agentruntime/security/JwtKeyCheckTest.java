package dev.agentruntime.security;

import dev.agentruntime.testing.TestAuth;
import io.quarkus.runtime.configuration.ConfigurationException;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 25: a JWT public key that could not be read or parsed let the service start, and every valid token got a
 * 401 with nothing logged. Now the key is checked when the verifier is built, at start-up.
 */
class JwtKeyCheckTest {

    private static final RsaJsonWebKey RSA = rsa();

    @Test
    void aPemKeyAJwkSetAndAKeyFileAreAccepted(@TempDir Path dir) throws Exception {
        assertThatCode(() -> verifier(Optional.of(pem(RSA.getPublicKey())), Optional.empty()))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier(Optional.of(new JsonWebKeySet(RSA).toJson()), Optional.empty()))
                .doesNotThrowAnyException();
        Path file = Files.writeString(dir.resolve("key.pem"), pem(RSA.getPublicKey()));
        assertThatCode(() -> verifier(Optional.empty(), Optional.of(file.toString()))).doesNotThrowAnyException();
        // An issuer's JWK set endpoint is fetched when tokens come, not at start-up.
        assertThatCode(() -> verifier(Optional.empty(), Optional.of("https://issuer.invalid/jwks")))
                .doesNotThrowAnyException();
    }

    @Test
    void aKeyThatIsNotOneRefusesToStartNamingTheVariable() {
        assertThatThrownBy(() -> verifier(Optional.of("not-a-key"), Optional.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_JWT_PUBLIC_KEY: not an RSA public key: give it in PEM (-----BEGIN PUBLIC KEY-----), "
                        + "as a certificate, or as a JWK set");
        assertThatThrownBy(() -> verifier(Optional.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
                Optional.empty())).isInstanceOf(ConfigurationException.class).hasMessageContaining("not an RSA");
    }

    @Test
    void anEllipticCurveKeyIsRefusedBecauseTokensAreCheckedAsRs256() throws Exception {
        PublicKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256).getPublicKey();
        assertThatThrownBy(() -> verifier(Optional.of(pem(ec)), Optional.empty()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("not an RSA public key");
    }

    @Test
    void aKeyFileThatIsNotThereOrHoldsNoKeyRefusesToStart(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> verifier(Optional.empty(), Optional.of(dir.resolve("missing.pem").toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_JWT_PUBLIC_KEY_LOCATION (" + dir.resolve("missing.pem")
                        + "): cannot be read (a file path, or classpath:<resource>)");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello");
        assertThatThrownBy(() -> verifier(Optional.empty(), Optional.of(junk.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("AGENT_JWT_PUBLIC_KEY_LOCATION (" + junk + "): not an RSA public key");
    }

    private static JwtVerifier verifier(Optional<String> key, Optional<String> location) {
        return new JwtVerifier(TestAuth.jwt(key, location));
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----";
    }

    private static RsaJsonWebKey rsa() {
        try {
            return RsaJwkGenerator.generateJwk(2048);
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
