package dev.agentruntime.planning.cache;

import dev.agentruntime.run.Plan;
import dev.agentruntime.redis.RedisAccess;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Optional;

/** Plans in Redis, one string key per plan ({@code plan:<key>}) expiring after the TTL: shared by every instance. */
final class RedisPlanCache implements PlanCache {

    private final RedisAccess redis;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final Duration ttl;

    RedisPlanCache(RedisAccess redis, Duration ttl) {
        this.redis = redis;
        this.values = redis.redis().value(String.class, String.class);
        this.keys = redis.redis().key(String.class);
        this.ttl = ttl;
    }

    @Override
    public Uni<Optional<Plan>> find(String key) {
        return redis.guard(values.get(redisKey(key)))
                .map(json -> Optional.ofNullable(json).map(text -> redis.read(text, Plan.class)));
    }

    @Override
    public Uni<Void> put(String key, Plan plan) {
        return redis.guard(values.set(redisKey(key), redis.write(plan), new SetArgs().px(ttl)));
    }

    @Override
    public Uni<Boolean> evict(String key) {
        return redis.guard(keys.del(redisKey(key))).map(deleted -> deleted > 0);
    }

    private String redisKey(String key) {
        return redis.keys().key("plan:" + key);
    }
}
