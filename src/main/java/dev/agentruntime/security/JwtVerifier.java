package dev.agentruntime.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;

/**
 * Verifies bearer JWTs (signature, expiry, issuer) with smallrye-jwt and reads the tenant claim. Built at start-up:
 * {@code AGENT_AUTH=jwt} without a public key refuses to start.
 */
@Startup
@ApplicationScoped
public class JwtVerifier {

    private final AuthConfig config;
    private final DefaultJWTParser parser;

    public JwtVerifier(AuthConfig config) {
        this.config = config;
        if (config.mode() != AuthConfig.Mode.JWT) {
            this.parser = null;
            return;
        }
        AuthConfig.Jwt jwt = config.jwt();
        if (jwt.publicKey().isEmpty() && jwt.publicKeyLocation().isEmpty()) {
            throw new ConfigurationException("AGENT_JWT_PUBLIC_KEY: AGENT_AUTH=jwt needs the issuer's public key in "
                    + "AGENT_JWT_PUBLIC_KEY or AGENT_JWT_PUBLIC_KEY_LOCATION");
        }
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        jwt.publicKey().ifPresent(info::setPublicKeyContent);
        jwt.publicKeyLocation().ifPresent(info::setPublicKeyLocation);
        jwt.issuer().ifPresent(info::setIssuedBy);
        info.setExpGracePeriodSecs(0);
        this.parser = new DefaultJWTParser(info);
    }

    /** Who a verified token names: its tenant, and its subject ({@code sub}, may be null). */
    public record Caller(String tenant, String subject) {
    }

    /** The token's tenant; empty when the token is invalid, expired or names no valid tenant. */
    public Optional<String> tenantOf(String token) {
        return callerOf(token).map(Caller::tenant);
    }

    /** The token's tenant and subject; empty when the token is invalid, expired or names no valid tenant. */
    public Optional<Caller> callerOf(String token) {
        try {
            JsonWebToken verified = parser.parse(token);
            Object tenant = verified.getClaim(config.jwt().tenantClaim());
            String name = tenant == null ? null : tenant.toString().replaceAll("^\"|\"$", "");
            String subject = verified.getSubject();
            // The subject is written into audit lines: bounded, and one line.
            if (subject != null && (subject.length() > 200 || subject.chars().anyMatch(Character::isISOControl))) {
                subject = null;
            }
            return Tenants.isValid(name) ? Optional.of(new Caller(name, subject)) : Optional.empty();
        } catch (ParseException | RuntimeException invalid) {
            return Optional.empty();
        }
    }
}
