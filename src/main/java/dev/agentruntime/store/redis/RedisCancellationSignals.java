package dev.agentruntime.store.redis;

import dev.agentruntime.store.CancellationSignals;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.UUID;

/** {@code cancel:{id}} (a flag with the run's TTL) plus a pub/sub message on {@code cancellations}. */
public final class RedisCancellationSignals implements CancellationSignals {

    private final RedisSupport redis;
    private final Duration ttl;

    RedisCancellationSignals(RedisSupport redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Uni<Void> request(UUID runId) {
        return redis.guard(redis.redis().value(String.class).set(flag(runId), "1", new SetArgs().px(ttl)))
                .flatMap(ok -> redis.guard(redis.redis().pubsub(String.class)
                        .publish(redis.keys().cancellations(), runId.toString())));
    }

    @Override
    public Uni<Boolean> isRequested(UUID runId) {
        return redis.guard(redis.redis().key().exists(flag(runId)));
    }

    @Override
    public Uni<Void> clear(UUID runId) {
        return redis.guard(redis.redis().key().del(flag(runId))).replaceWithVoid();
    }

    @Override
    public Multi<UUID> requests() {
        return redis.redis().pubsub(String.class).subscribe(redis.keys().cancellations()).map(UUID::fromString);
    }

    private String flag(UUID runId) {
        return redis.keys().cancelFlag(runId);
    }
}
