package dev.agentruntime.security;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys, kept only as SHA-256 digests. A presented key is hashed and compared with every
 * digest in constant time, so neither its content nor its length shows in the response time.
 */
@ApplicationScoped
public class ApiKeys {

    private record Entry(String tenant, byte[] digest) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys(AuthConfig config) {
        for (String pair : config.apiKeys().orElse(List.of())) {
            int eq = pair.indexOf('=');
            String tenant = eq < 0 ? "" : pair.substring(0, eq).strip();
            String key = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (!Tenants.isValid(tenant) || key.length() < 16) {
                // Never echo the key itself.
                throw new IllegalArgumentException("agent.auth.api-keys: each entry must be tenant=key with a tenant of "
                        + "letters, digits, '.', '_' or '-' and a key of at least 16 characters");
            }
            entries.add(new Entry(tenant, digest(key)));
        }
        if (config.mode() == AuthConfig.Mode.API_KEY && entries.isEmpty()) {
            throw new IllegalArgumentException("AGENT_AUTH=api-key needs at least one key in AGENT_API_KEYS");
        }
    }

    /** The tenant the key belongs to. */
    public Optional<String> tenantOf(String presented) {
        byte[] digest = digest(presented);
        String match = null;
        for (Entry entry : entries) {
            // No early exit: every entry is compared whatever matched.
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.tenant();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
