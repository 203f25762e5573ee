package dev.agentruntime.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwk.JsonWebKey;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * Verifies bearer JWTs (signature, expiry, issuer) with smallrye-jwt and reads the tenant claim. Built at start-up:
 * {@code AGENT_AUTH=jwt} without a public key, or with one that cannot be read or is not an RSA public key (PEM, a
 * certificate, or a JWK set), refuses to start; smallrye-jwt would only find out at the first token, and then answer
 * every valid token with a 401 and log nothing. A key at an {@code http(s)} location is a JWK set the issuer serves,
 * fetched and refreshed by smallrye-jwt when tokens come: it is not read at start-up. A key given with another mode
 * is refused too: it looks like protection and is none.
 */
@Startup
@ApplicationScoped
public class JwtVerifier {

    private final AuthConfig config;
    private final DefaultJWTParser parser;

    public JwtVerifier(AuthConfig config) {
        this.config = config;
        if (config.mode() != AuthConfig.Mode.JWT) {
            if (config.jwt().publicKey().isPresent() || config.jwt().publicKeyLocation().isPresent()) {
                String variable = config.jwt().publicKey().isPresent() ? "AGENT_JWT_PUBLIC_KEY"
                        : "AGENT_JWT_PUBLIC_KEY_LOCATION";
                throw config.mode().unchecked(variable, "tokens", AuthConfig.Mode.JWT);
            }
            this.parser = null;
            return;
        }
        AuthConfig.Jwt jwt = config.jwt();
        if (jwt.publicKey().isEmpty() && jwt.publicKeyLocation().isEmpty()) {
            throw new ConfigurationException("AGENT_JWT_PUBLIC_KEY: AGENT_AUTH=jwt needs the issuer's public key in "
                    + "AGENT_JWT_PUBLIC_KEY or AGENT_JWT_PUBLIC_KEY_LOCATION");
        }
        checkKey(jwt);
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        jwt.publicKey().ifPresent(info::setPublicKeyContent);
        jwt.publicKeyLocation().ifPresent(info::setPublicKeyLocation);
        jwt.issuer().ifPresent(info::setIssuedBy);
        info.setExpGracePeriodSecs(0);
        this.parser = new DefaultJWTParser(info);
    }

    private static void checkKey(AuthConfig.Jwt jwt) {
        String variable = jwt.publicKey().isPresent() ? "AGENT_JWT_PUBLIC_KEY"
                : "AGENT_JWT_PUBLIC_KEY_LOCATION (" + jwt.publicKeyLocation().get() + ")";
        String content;
        if (jwt.publicKey().isPresent()) {
            content = jwt.publicKey().get();
        } else {
            String location = jwt.publicKeyLocation().get();
            if (location.regionMatches(true, 0, "http", 0, 4)) {
                return;
            }
            try {
                content = ResourceUtils.readResource(location);
            } catch (IOException | RuntimeException e) {
                content = null;
            }
            if (content == null) {
                throw new ConfigurationException(variable + ": cannot be read (a file path, or classpath:<resource>)");
            }
        }
        if (!isPublicKey(content.strip())) {
            throw new ConfigurationException(variable + ": not an RSA public key: give it in PEM (-----BEGIN PUBLIC "
                    + "KEY-----), as a certificate, or as a JWK set");
        }
    }

    private static boolean isPublicKey(String content) {
        try {
            KeyUtils.decodePublicKey(content);
            return true;
        } catch (GeneralSecurityException | RuntimeException notPem) {
            // a certificate or a JWK set, perhaps
        }
        try {
            KeyUtils.decodeCertificate(content);
            return true;
        } catch (GeneralSecurityException | RuntimeException notCertificate) {
            // a JWK set, perhaps
        }
        try {
            List<JsonWebKey> keys = KeyUtils.loadJsonWebKeys(content);
            return keys != null && keys.stream().anyMatch(key -> key.getKey() instanceof PublicKey);
        } catch (RuntimeException notJwk) {
            return false;
        }
    }

    /** The token's tenant; empty when the token is invalid, expired or names no valid tenant. */
    public Optional<String> tenantOf(String token) {
        return callerOf(token).map(Caller::tenant);
    }

    /**
     * Who the token names: its tenant, and its subject ({@code sub}, may be null); empty when the token is invalid,
     * expired or names no valid tenant.
     */
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
            return Tenants.isValid(name) ? Optional.of(Caller.of(name, subject)) : Optional.empty();
        } catch (ParseException | RuntimeException invalid) {
            return Optional.empty();
        }
    }
}
