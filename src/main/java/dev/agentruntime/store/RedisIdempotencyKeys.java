package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** {@code idem:{key}}: JSON {@code {"body_hash", "run_id"}}, claimed with SET NX, expiring with the run. */
public final class RedisIdempotencyKeys implements IdempotencyKeys {

    /** KEYS: key. ARGV: claim json, ttl ms. Returns nil when claimed, else what the key holds. */
    private static final String CLAIM = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
            return redis.call('GET', KEYS[1])
            """;

    private final RedisSupport redis;
    private final Duration ttl;

    RedisIdempotencyKeys(RedisSupport redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Uni<Claim> claim(String key, String bodyHash) {
        return redis.eval(CLAIM, List.of(key(key)), entry(bodyHash, null), ttl.toMillis()).map(held -> {
            if (held == null) {
                return Claim.won(bodyHash);
            }
            JsonNode json = redis.read(held.toString(), JsonNode.class);
            JsonNode runId = json.path("run_id");
            return Claim.taken(json.path("body_hash").asText(),
                    runId.isTextual() ? UUID.fromString(runId.asText()) : null);
        });
    }

    @Override
    public Uni<Void> bind(String key, String bodyHash, UUID runId) {
        return redis.guard(redis.redis().execute("SET", key(key), entry(bodyHash, runId), "PX",
                Long.toString(ttl.toMillis()))).replaceWithVoid();
    }

    @Override
    public Uni<Void> release(String key) {
        return redis.guard(redis.redis().execute("DEL", key(key))).replaceWithVoid();
    }

    private String entry(String bodyHash, UUID runId) {
        return redis.write(java.util.Map.of("body_hash", bodyHash, "run_id", runId == null ? "" : runId.toString()))
                .replace("\"run_id\":\"\"", "\"run_id\":null");
    }

    private String key(String key) {
        return redis.key("idem:" + key);
    }
}
