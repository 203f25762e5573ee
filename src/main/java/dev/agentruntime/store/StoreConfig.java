package dev.agentruntime.store;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code agent.store.*}: where runs and todos live and for how long. */
@ConfigMapping(prefix = "agent.store")
public interface StoreConfig {

    enum Type { MEMORY, REDIS }

    /** {@code memory} (embedded, the default) or {@code redis}; set with {@code AGENT_STORE}. */
    @WithDefault("memory")
    Type type();

    /** How long a run (counted from its creation) and a todo (from its last change) are kept. */
    @WithDefault("24h")
    Duration ttl();

    /**
     * How long the events of an ended run are kept after its end ({@code AGENT_STORE_EVENTS_RETENTION}), never
     * longer than the run itself; after that, reading them replays the compact history rebuilt from the run.
     */
    @WithDefault("1h")
    Duration eventsRetention();

    /**
     * New runs are refused (503) while Redis uses more than its {@code maxmemory} minus this share of it, so that
     * runs already accepted have room to finish ({@code AGENT_STORE_REDIS_MEMORY_HEADROOM_PERCENT}, 0 to 50; 0:
     * no admission check). Only applies when Redis has a {@code maxmemory}.
     */
    @WithDefault("5")
    int redisMemoryHeadroomPercent();

    /**
     * After the writes a failover must not lose (a run's submission, each record of its steps and its end), wait
     * until this many replicas have them ({@code WAIT}, {@code AGENT_STORE_REDIS_WAIT_REPLICAS}; 0: do not wait).
     * Redis replicates asynchronously: without it, what a primary acknowledged just before it died may be missing
     * on the replica that takes over (README "Running on Redis Cluster").
     */
    @WithDefault("0")
    int redisWaitReplicas();

    /**
     * The longest a write waits for its replicas ({@code AGENT_STORE_REDIS_WAIT_TIMEOUT}); past it the write stands,
     * acknowledged by the primary alone, as without waiting.
     */
    @WithDefault("100ms")
    Duration redisWaitTimeout();

    /**
     * Redis keeps runs and events in their compact forms ({@code AGENT_STORE_COMPACT_RECORDS}); both forms are
     * always read. Set to false while a rolling upgrade still runs instances of an earlier build, which only read
     * the full form; set it back once all run this one.
     */
    @WithDefault("true")
    boolean compactRecords();

    /** Prefix of every Redis key, so several deployments can share one Redis. */
    @WithDefault("agent:")
    String keyPrefix();

    /** How often a follower of a run's events on Redis looks for new ones. */
    @WithDefault("100ms")
    Duration eventPollInterval();

    /** The memory store drops its oldest runs beyond this many, so memory stays bounded before the TTL. */
    @WithDefault("10000")
    int memoryMaxRuns();

    /**
     * The memory store also drops its oldest runs (and their events) once the runs hold about this much heap
     * ({@code AGENT_STORE_MEMORY_MAX_BYTES}): a few large runs weigh like many small ones.
     */
    @WithDefault("64M")
    MemorySize memoryMaxBytes();
}
