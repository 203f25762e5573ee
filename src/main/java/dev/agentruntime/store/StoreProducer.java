package dev.agentruntime.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.store.memory.MemoryBackend;
import dev.agentruntime.store.redis.RedisBackend;
import dev.agentruntime.store.redis.RedisSupport;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Picks the state store once, from {@code agent.store.type}, and offers its adapters as beans. The Redis client is
 * only looked up when Redis is the store, so the embedded default never opens a connection.
 */
@ApplicationScoped
public class StoreProducer {

    /** A singleton, not a proxied bean: todo and quota producers look at which backend it is. */
    @Produces
    @Singleton
    StoreBackend backend(StoreConfig config, QueueConfig queue, TenantShares.Share share,
                         Instance<ReactiveRedisDataSource> redis, ObjectMapper mapper, Clock clock) {
        if (config.eventsRetention().isNegative() || config.eventsRetention().isZero()) {
            throw new ConfigurationException("AGENT_STORE_EVENTS_RETENTION must be positive, not "
                    + config.eventsRetention());
        }
        if (config.redisMemoryHeadroomPercent() < 0 || config.redisMemoryHeadroomPercent() > 50) {
            throw new ConfigurationException("AGENT_STORE_REDIS_MEMORY_HEADROOM_PERCENT must be between 0 and 50, not "
                    + config.redisMemoryHeadroomPercent());
        }
        if (config.redisWaitReplicas() < 0 || config.redisWaitReplicas() > 0
                && (config.redisWaitTimeout().isNegative() || config.redisWaitTimeout().isZero())) {
            throw new ConfigurationException("AGENT_STORE_REDIS_WAIT_REPLICAS must be 0 or more, and with replicas "
                    + "AGENT_STORE_REDIS_WAIT_TIMEOUT positive, not " + config.redisWaitReplicas() + " and "
                    + config.redisWaitTimeout());
        }
        if (config.type() == StoreConfig.Type.REDIS) {
            checkKeyPrefix(config.keyPrefix(), isCluster());
        }
        return switch (config.type()) {
            case MEMORY -> MemoryBackend.create(config, queue, share, clock, mapper);
            case REDIS -> RedisBackend.create(new RedisSupport(redis.get(), mapper, config.keyPrefix(),
                    config.compactRecords(), isCluster(), new RedisSupport.Replicas(config.redisWaitReplicas(),
                    config.redisWaitTimeout())), config, queue, share, clock);
        };
    }

    /** A brace in the prefix would be every key's hash tag: on a cluster, the whole store on one slot (ADR 0032). */
    static void checkKeyPrefix(String prefix, boolean cluster) {
        if (cluster && (prefix.contains("{") || prefix.contains("}"))) {
            throw new ConfigurationException("AGENT_STORE_KEY_PREFIX must not contain '{' or '}' on Redis Cluster, not "
                    + prefix);
        }
    }

    /** A Redis Cluster is the Redis client's own setting; the store only adapts how it groups commands (ADR 0032). */
    private static boolean isCluster() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.redis.client-type", String.class)
                .filter(type -> type.equalsIgnoreCase("cluster")).isPresent();
    }

    @Produces
    @ApplicationScoped
    RunStore runStore(StoreBackend backend) {
        return backend.runs();
    }

    @Produces
    @ApplicationScoped
    RunJournal runJournal(StoreBackend backend) {
        return backend.journal();
    }

    @Produces
    @ApplicationScoped
    RunEventLog runEventLog(StoreBackend backend) {
        return backend.events();
    }

    @Produces
    @ApplicationScoped
    RunQueue runQueue(StoreBackend backend) {
        return backend.queue();
    }

    @Produces
    @ApplicationScoped
    IdempotencyKeys idempotencyKeys(StoreBackend backend) {
        return backend.idempotencyKeys();
    }

    @Produces
    @ApplicationScoped
    CancellationSignals cancellationSignals(StoreBackend backend) {
        return backend.cancellationSignals();
    }
}
