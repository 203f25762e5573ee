package dev.agentruntime.security;

import java.util.List;
import java.util.Optional;

/** {@code agent.auth.*} as an environment would set it, for the start-up checks built without an application. */
record TestAuth(AuthConfig.Mode mode, Optional<List<String>> apiKeys, Jwt jwt) implements AuthConfig {

    record Jwt(Optional<String> publicKey, Optional<String> publicKeyLocation) implements AuthConfig.Jwt {
        @Override
        public Optional<String> issuer() {
            return Optional.empty();
        }

        @Override
        public String tenantClaim() {
            return "tenant";
        }
    }

    static TestAuth jwt(Optional<String> publicKey, Optional<String> publicKeyLocation) {
        return new TestAuth(Mode.JWT, Optional.empty(), new Jwt(publicKey, publicKeyLocation));
    }

    static TestAuth keys(Mode mode, String... entries) {
        return new TestAuth(mode, Optional.of(List.of(entries)), new Jwt(Optional.empty(), Optional.empty()));
    }
}
