package dev.agentruntime.store.redis;

import dev.agentruntime.redis.RedisAccess;
import dev.agentruntime.store.CancellationSignals;
import dev.agentruntime.store.IdempotencyKeys;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.store.StoreBackend;
import dev.agentruntime.store.StoreConfig;
import dev.agentruntime.store.TenantShares;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Every port on one Redis, shared by all instances of the runtime. The adapters of other capabilities kept on the
 * same Redis (todos, quotas, the plan cache) reach it through {@link #redis()}, the toolkit, never this package.
 */
public record RedisBackend(RedisSupport support, RunStore runs, RunJournal journal, RunEventLog events,
                           RunQueue queue, IdempotencyKeys idempotencyKeys, CancellationSignals cancellationSignals)
        implements StoreBackend {

    public static RedisBackend create(RedisSupport redis, StoreConfig config, QueueConfig queue,
                                      TenantShares.Share share, Clock clock) {
        HeldEntries held = new HeldEntries();
        RedisRunJournal journal = new RedisRunJournal(redis, clock, config.ttl(), config.eventsRetention(), held);
        return new RedisBackend(redis, new RedisRunStore(redis, clock, config.ttl()), journal,
                new RedisRunEventLog(redis, config.ttl(), config.eventPollInterval()),
                new RedisRunQueue(redis, journal, held, queue, share, config.ttl(), clock,
                        queue.consumerName().orElseGet(RedisBackend::defaultConsumerName),
                        new RedisMemoryWatch(redis, clock, config.redisMemoryHeadroomPercent())),
                new RedisIdempotencyKeys(redis, config.ttl()), new RedisCancellationSignals(redis, config.ttl()));
    }

    @Override
    public Optional<RedisAccess> redis() {
        return Optional.of(support.access());
    }

    /** Unique per process, readable in XINFO: the host (the pod's name on Kubernetes) and a random suffix. */
    private static String defaultConsumerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "instance");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
