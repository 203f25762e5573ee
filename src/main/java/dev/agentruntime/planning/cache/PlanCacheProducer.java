package dev.agentruntime.planning.cache;

import dev.agentruntime.planning.PlannerConfig;
import dev.agentruntime.store.StoreBackend;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;
import java.time.Duration;

/** The plan cache lives where the runs are kept; without {@code AGENT_PLANNER_CACHE_TTL} there is none. */
@ApplicationScoped
public class PlanCacheProducer {

    @Produces
    @ApplicationScoped
    PlanCache planCache(StoreBackend backend, PlannerConfig config, Clock clock) {
        if (config.cacheTtl().isEmpty()) {
            return PlanCache.OFF;
        }
        Duration ttl = config.cacheTtl().get();
        if (ttl.isNegative() || ttl.isZero() || config.cacheMaxEntries() < 1) {
            throw new ConfigurationException("AGENT_PLANNER_CACHE_TTL must be positive and "
                    + "AGENT_PLANNER_CACHE_MAX_ENTRIES at least 1 (got " + ttl + ", " + config.cacheMaxEntries() + ")");
        }
        return backend.redis().<PlanCache>map(redis -> new RedisPlanCache(redis, ttl))
                .orElseGet(() -> new MemoryPlanCache(clock, ttl, config.cacheMaxEntries()));
    }
}
