package dev.agentruntime.planning.cache;

import dev.agentruntime.run.Plan;
import io.smallrye.mutiny.Uni;

import java.util.Optional;

/**
 * Validated LLM plans by key ({@link PlanCacheKeys}), so a repeated request is planned once: in Redis with the Redis
 * store (every instance shares it), in this process otherwise. Entries expire after the configured TTL.
 */
public interface PlanCache {

    Uni<Optional<Plan>> find(String key);

    Uni<Void> put(String key, Plan plan);

    /** Drops the entry; true when there was one. */
    Uni<Boolean> evict(String key);

    /** The cache when {@code AGENT_PLANNER_CACHE_TTL} is not set: never finds, keeps nothing. */
    PlanCache OFF = new PlanCache() {
        @Override
        public Uni<Optional<Plan>> find(String key) {
            return Uni.createFrom().item(Optional.empty());
        }

        @Override
        public Uni<Void> put(String key, Plan plan) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Boolean> evict(String key) {
            return Uni.createFrom().item(false);
        }
    };
}
