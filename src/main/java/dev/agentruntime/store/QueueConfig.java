package dev.agentruntime.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code agent.queue.*}: how runs wait and how an instance takes them. */
@ConfigMapping(prefix = "agent.queue")
public interface QueueConfig {

    /** Runs queued and not finished before new ones get 503 (per instance in memory; the whole stream on Redis). */
    @WithDefault("1000")
    int maxQueued();

    /**
     * Runs one tenant may have queued or executing at once, across all instances ({@code 0}: no limit); a tenant
     * over it gets 429 while other tenants go on.
     */
    @WithDefault("100")
    int maxUnfinishedPerTenant();

    /** Runs this instance executes at the same time. */
    @WithDefault("32")
    int maxConcurrent();

    /**
     * Of those, how many one tenant may hold (1 to {@code maxConcurrent}), so that the rest stay free for the others
     * whatever one tenant's runs do. Unset: all of them when there is one tenant ({@code AGENT_AUTH=off}), else
     * all but a quarter (24 of 32). See {@link TenantShares}.
     */
    OptionalInt maxConcurrentPerTenant();

    /** A run whose executor has not shown life for this long is claimed by another instance. */
    @WithDefault("15s")
    Duration claimIdle();

    /** Claims after the first delivery before a run is failed as one that keeps crashing its executor. */
    @WithDefault("2")
    int maxClaims();

    /** This instance's name in the consumer group; default: host name plus a random suffix. */
    Optional<String> consumerName();
}
