package dev.agentruntime.planning.cache;

import dev.agentruntime.run.Plan;
import dev.agentruntime.store.memory.ExpiringEntries;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Plans in this process: at most {@code maxEntries}, the oldest dropped first, each for {@code ttl}. */
final class MemoryPlanCache implements PlanCache {

    private final ExpiringEntries<String, Plan> entries;

    MemoryPlanCache(Clock clock, Duration ttl, int maxEntries) {
        this.entries = new ExpiringEntries<>(clock, ttl, maxEntries);
    }

    @Override
    public Uni<Optional<Plan>> find(String key) {
        return Uni.createFrom().item(() -> Optional.ofNullable(entries.get(key)));
    }

    @Override
    public Uni<Void> put(String key, Plan plan) {
        return Uni.createFrom().item(() -> {
            entries.put(key, plan);
            return null;
        }).replaceWithVoid();
    }

    @Override
    public Uni<Boolean> evict(String key) {
        return Uni.createFrom().item(() -> entries.remove(key));
    }
}
