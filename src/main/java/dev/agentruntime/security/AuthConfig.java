package dev.agentruntime.security;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** {@code agent.auth.*}: who may call the API and which tenant they act for. */
@ConfigMapping(prefix = "agent.auth")
public interface AuthConfig {

    enum Mode {
        OFF, API_KEY, JWT;

        /** The mode as an operator sets it: {@code AGENT_AUTH=api-key}. */
        String setting() {
            return "AGENT_AUTH=" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /**
         * Credentials in {@code variable} that this mode does not check (only {@code checker} does) look like
         * protection and are none: the start is refused, with what to do.
         */
        ConfigurationException unchecked(String variable, String credentials, Mode checker) {
            return new ConfigurationException(variable + ": set, but " + setting() + " does not check " + credentials
                    + (this == OFF ? ", so the API would be open to everyone" : "") + ": set " + checker.setting()
                    + ", or leave " + variable + " empty");
        }
    }

    /** {@code off} (embedded default: everyone is tenant "default"), {@code api-key} or {@code jwt}. */
    @WithDefault("off")
    Mode mode();

    /** {@code tenant=key} pairs, comma-separated ({@code AGENT_API_KEYS}); only hashes are kept in memory. */
    Optional<List<String>> apiKeys();

    Jwt jwt();

    interface Jwt {
        /** The issuer's public key (PEM, or a JWK set) that signs the tokens. */
        Optional<String> publicKey();

        /** Where to read the public key from instead (a file path or URL). */
        Optional<String> publicKeyLocation();

        /** Required {@code iss} claim, when set. */
        Optional<String> issuer();

        /** The claim naming the caller's tenant. */
        @WithDefault("tenant")
        String tenantClaim();
    }
}
