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
