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
    private final QueueConfig queue;
    private final Instance<ReactiveRedisDataSource> redis;
    private final ObjectMapper mapper;
    private final Clock clock;
    private MemoryRunStore memoryRuns;

    public StoreProducer(StoreConfig config, QueueConfig queue, Instance<ReactiveRedisDataSource> redis,
                         ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.queue = queue;
        this.redis = redis;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Produces
    @ApplicationScoped
    RunStore runStore() {
        return switch (config.type()) {
            case MEMORY -> memoryRuns();
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

    @Produces
    @ApplicationScoped
    RunEventLog runEventLog() {
        return switch (config.type()) {
            case MEMORY -> new MemoryRunEventLog(clock, config.ttl(), config.memoryMaxRuns());
            case REDIS -> new RedisRunEventLog(redisSupport(), config.ttl(), config.eventPollInterval());
        };
    }

    @Produces
    @ApplicationScoped
    RunJournal runJournal(RunEventLog events) {
        return switch (config.type()) {
            case MEMORY -> new MemoryRunJournal(memoryRuns(), events);
            case REDIS -> new RedisRunJournal(redisSupport(), clock, config.ttl());
        };
    }

    @Produces
    @ApplicationScoped
    TenantLimits tenantLimits(LimitsConfig limits) {
        return switch (config.type()) {
            case MEMORY -> new MemoryTenantLimits(limits, clock);
            case REDIS -> new RedisTenantLimits(redisSupport(), limits, clock);
        };
    }

    @Produces
    @ApplicationScoped
    IdempotencyKeys idempotencyKeys() {
        return switch (config.type()) {
            case MEMORY -> new MemoryIdempotencyKeys(clock, config.ttl(), config.memoryMaxRuns());
            case REDIS -> new RedisIdempotencyKeys(redisSupport(), config.ttl());
        };
    }

    @Produces
    @ApplicationScoped
    CancellationSignals cancellationSignals() {
        return switch (config.type()) {
            case MEMORY -> new MemoryCancellationSignals();
            case REDIS -> new RedisCancellationSignals(redisSupport(), config.ttl());
        };
    }

    @Produces
    @ApplicationScoped
    RunQueue runQueue(RunStore runs) {
        return switch (config.type()) {
            case MEMORY -> new MemoryRunQueue(runs, queue);
            case REDIS -> new RedisRunQueue(redisSupport(), queue, config.ttl(), clock,
                    queue.consumerName().orElseGet(StoreProducer::defaultConsumerName));
        };
    }

    /** Unique per process, readable in XINFO: the host (the pod's name on Kubernetes) and a random suffix. */
    private static String defaultConsumerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "instance");
        return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The one in-process run store, shared by the RunStore and RunJournal beans. */
    private synchronized MemoryRunStore memoryRuns() {
        if (memoryRuns == null) {
            memoryRuns = new MemoryRunStore(clock, config.ttl(), config.memoryMaxRuns());
        }
        return memoryRuns;
    }

    private RedisSupport redisSupport() {
        return new RedisSupport(redis.get(), mapper, config.keyPrefix());
    }
}
