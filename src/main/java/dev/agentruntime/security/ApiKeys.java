package dev.agentruntime.security;

import dev.agentruntime.run.Sha256;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys, kept only as SHA-256 digests, checked at start-up: with {@code AGENT_AUTH=api-key} the
 * service refuses to start without keys, with a malformed entry, a key under 16 characters, or one key given to two
 * tenants (it could only ever authenticate one of them); with another mode, it refuses keys it would not check. A
 * presented key is hashed and compared with every digest in constant time, so neither its content nor its length
 * shows in the response time.
 */
@Startup
@ApplicationScoped
public class ApiKeys {

    private record Entry(String tenant, byte[] digest) {
    }

    private static final int MIN_KEY_LENGTH = 16;

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys(AuthConfig config) {
        if (config.mode() != AuthConfig.Mode.API_KEY) {
            // Keys given with authentication off look like protection and are none: the API would be open to all.
            if (config.apiKeys().orElse(List.of()).stream().anyMatch(entry -> !entry.isBlank())) {
                throw config.mode().unchecked("AGENT_API_KEYS", "keys", AuthConfig.Mode.API_KEY);
            }
            return;
        }
        for (String pair : config.apiKeys().orElse(List.of())) {
            int eq = pair.indexOf('=');
            String tenant = eq < 0 ? "" : pair.substring(0, eq).strip();
            String key = eq < 0 ? "" : pair.substring(eq + 1).strip();
            // Never echo a key: entries are named by their position and tenant only.
            int position = entries.size() + 1;
            if (!Tenants.isValid(tenant)) {
                throw refuse("entry " + position + " must be tenant=key with a tenant of letters, digits, '.', '_' "
                        + "or '-'");
            }
            if (key.length() < MIN_KEY_LENGTH) {
                throw refuse("the key of tenant '" + tenant + "' has fewer than " + MIN_KEY_LENGTH + " characters");
            }
            byte[] digest = Sha256.digest(key);
            for (Entry other : entries) {
                if (MessageDigest.isEqual(other.digest(), digest)) {
                    throw refuse("tenants '" + other.tenant() + "' and '" + tenant + "' have the same key; "
                            + "every tenant needs its own");
                }
            }
            entries.add(new Entry(tenant, digest));
        }
        if (entries.isEmpty()) {
            throw refuse("AGENT_AUTH=api-key needs at least one tenant=key entry");
        }
    }

    private static ConfigurationException refuse(String rule) {
        return new ConfigurationException("AGENT_API_KEYS: " + rule);
    }

    /** The tenant the key belongs to. */
    public Optional<String> tenantOf(String presented) {
        byte[] digest = Sha256.digest(presented);
        String match = null;
        for (Entry entry : entries) {
            // No early exit: every entry is compared whatever matched.
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.tenant();
            }
        }
        return Optional.ofNullable(match);
    }
}
