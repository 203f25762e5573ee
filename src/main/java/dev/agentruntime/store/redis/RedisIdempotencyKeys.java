package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.store.IdempotencyKeys;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code idem:{key}}: JSON {@code {"body_hash", "run_id"}}, claimed with SET NX, expiring with the run. */
public final class RedisIdempotencyKeys implements IdempotencyKeys {

    private static final LuaScript CLAIM = LuaScript.load("idempotency_claim");

    /** Returns nil when claimed, else what the key holds. */
    private static LuaScript.Invocation claimCall(String key, String claim, long ttlMs) {
        return CLAIM.with(List.of(key), List.of(claim, Long.toString(ttlMs)));
    }

    private final RedisSupport redis;
    private final Duration ttl;

    RedisIdempotencyKeys(RedisSupport redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Uni<Claim> claim(String key, String bodyHash) {
        return redis.run(claimCall(key(key), entry(bodyHash, null), ttl.toMillis())).map(held -> {
            if (held == null) {
                return Claim.won(bodyHash);
            }
            JsonNode json = redis.access().read(held.toString(), JsonNode.class);
            JsonNode runId = json.path("run_id");
            return Claim.taken(json.path("body_hash").asText(),
                    runId.isTextual() ? UUID.fromString(runId.asText()) : null);
        });
    }

    @Override
    public Uni<Void> bind(String key, String bodyHash, UUID runId) {
        return redis.guard(redis.redis().value(String.class).set(key(key), entry(bodyHash, runId),
                new SetArgs().px(ttl)));
    }

    @Override
    public Uni<Void> release(String key) {
        return redis.guard(redis.redis().key().del(key(key))).replaceWithVoid();
    }

    private String entry(String bodyHash, UUID runId) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("body_hash", bodyHash);
        entry.put("run_id", runId == null ? null : runId.toString());
        return redis.access().write(entry);
    }

    private String key(String key) {
        return redis.keys().idempotency(key);
    }
}
