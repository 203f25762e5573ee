package dev.agentruntime.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/**
 * Picks the state store once, from {@code agent.store.type}. The Redis client is only looked up when Redis is the
 * store, so the embedded default never opens a connection.
 */
@ApplicationScoped
public class StoreProducer {

    private final StoreConfig config;
    private final Instance<ReactiveRedisDataSource> redis;
    private final ObjectMapper mapper;
    private final Clock clock;

    public StoreProducer(StoreConfig config, Instance<ReactiveRedisDataSource> redis, ObjectMapper mapper,
                         Clock clock) {
        this.config = config;
        this.redis = redis;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Produces
    @ApplicationScoped
    RunStore runStore() {
        return switch (config.type()) {
            case MEMORY -> new MemoryRunStore(clock, config.ttl(), config.memoryMaxRuns());
            case REDIS -> new RedisRunStore(redisSupport(), clock, config.ttl());
        };
    }

    @Produces
    @ApplicationScoped
    TodoRepository todoRepository() {
        return switch (config.type()) {
            case MEMORY -> new MemoryTodoRepository(clock, config.ttl());
            case REDIS -> new RedisTodoRepository(redisSupport(), config.ttl());
        };
    }

    private RedisSupport redisSupport() {
        return new RedisSupport(redis.get(), mapper, config.keyPrefix());
    }
}
