package dev.agentruntime.security;

import dev.agentruntime.testing.TestAuth;
import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A new user's walk: API keys set while {@code AGENT_AUTH} was left at {@code off} started a service whose API was
 * open to everyone, with nothing logged (the README's "a server with API keys" reads as if the keys were enough).
 * Credentials the mode would not check now refuse the start, in one line naming the variable; empty means not set.
 */
class UncheckedCredentialsTest {

    @Test
    void apiKeysWithAuthenticationOffOrJwtRefuseToStart() {
        assertThatThrownBy(() -> new ApiKeys(TestAuth.keys(AuthConfig.Mode.OFF, "acme=acme-key-0123456789")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_API_KEYS: set, but AGENT_AUTH=off does not check keys, so the API would be open "
                        + "to everyone: set AGENT_AUTH=api-key, or leave AGENT_API_KEYS empty")
                .message().doesNotContain("acme-key-0123456789");
        assertThatThrownBy(() -> new ApiKeys(TestAuth.keys(AuthConfig.Mode.JWT, "acme=acme-key-0123456789")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("AGENT_API_KEYS: set, but AGENT_AUTH=jwt does not check keys: ");
    }

    @Test
    void aJwtKeyWithAuthenticationOffRefusesToStart() {
        assertThatThrownBy(() -> new JwtVerifier(new TestAuth(AuthConfig.Mode.OFF, Optional.empty(),
                new TestAuth.Jwt(Optional.empty(), Optional.of("/etc/issuer.pem")))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_JWT_PUBLIC_KEY_LOCATION: set, but AGENT_AUTH=off does not check tokens, so the "
                        + "API would be open to everyone: set AGENT_AUTH=jwt, or leave AGENT_JWT_PUBLIC_KEY_LOCATION "
                        + "empty");
        assertThatThrownBy(() -> new JwtVerifier(new TestAuth(AuthConfig.Mode.API_KEY, Optional.empty(),
                new TestAuth.Jwt(Optional.of("-----BEGIN PUBLIC KEY-----"), Optional.empty()))))
                .hasMessageStartingWith("AGENT_JWT_PUBLIC_KEY: set, but AGENT_AUTH=api-key does not check tokens");
    }

    @Test
    void emptyEntriesAreNotSetAndTheModesThatCheckStartAsBefore() {
        // SmallRye reads AGENT_API_KEYS="," as one or two empty entries: nothing set.
        assertThatCode(() -> new ApiKeys(TestAuth.keys(AuthConfig.Mode.OFF, "", " "))).doesNotThrowAnyException();
        assertThatCode(() -> new ApiKeys(TestAuth.mode(AuthConfig.Mode.OFF))).doesNotThrowAnyException();
        ApiKeys keys = new ApiKeys(TestAuth.keys(AuthConfig.Mode.API_KEY, "acme=acme-key-0123456789"));
        assertThat(keys.tenantOf("acme-key-0123456789")).contains("acme");
    }
}
