package dev.agentruntime.testing;

import dev.agentruntime.security.AuthConfig;

import java.util.List;
import java.util.Optional;

/** {@code agent.auth.*} as an environment would set it, for what reads it built without an application. */
public record TestAuth(AuthConfig.Mode mode, Optional<List<String>> apiKeys, Jwt jwt) implements AuthConfig {

    public record Jwt(Optional<String> publicKey, Optional<String> publicKeyLocation) implements AuthConfig.Jwt {
        @Override
        public Optional<String> issuer() {
            return Optional.empty();
        }

        @Override
        public String tenantClaim() {
            return "tenant";
        }
    }

    /** The mode alone: no keys, no JWT key. */
    public static TestAuth mode(Mode mode) {
        return new TestAuth(mode, Optional.empty(), new Jwt(Optional.empty(), Optional.empty()));
    }

    public static TestAuth jwt(Optional<String> publicKey, Optional<String> publicKeyLocation) {
        return new TestAuth(Mode.JWT, Optional.empty(), new Jwt(publicKey, publicKeyLocation));
    }

    public static TestAuth keys(Mode mode, String... entries) {
        return new TestAuth(mode, Optional.of(List.of(entries)), new Jwt(Optional.empty(), Optional.empty()));
    }
}
