package dev.agentruntime.planning.cache;

import dev.agentruntime.run.Plan;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Plans in this process: at most {@code maxEntries}, the oldest dropped first, each for {@code ttl}. */
final class MemoryPlanCache implements PlanCache {

    private record Entry(Plan plan, Instant expires) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;

    MemoryPlanCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    @Override
    public Uni<Optional<Plan>> find(String key) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Entry entry = entries.get(key);
                if (entry != null && !clock.instant().isBefore(entry.expires())) {
                    entries.remove(key);
                    entry = null;
                }
                return Optional.ofNullable(entry).map(Entry::plan);
            }
        });
    }

    @Override
    public Uni<Void> put(String key, Plan plan) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                entries.remove(key);
                entries.put(key, new Entry(plan, clock.instant().plus(ttl)));
                // Entries sit in insertion order, and all live for the same TTL: the first are the oldest.
                Instant now = clock.instant();
                for (Iterator<Entry> oldest = entries.values().iterator(); oldest.hasNext(); ) {
                    Entry entry = oldest.next();
                    if (entries.size() > maxEntries || !now.isBefore(entry.expires())) {
                        oldest.remove();
                    } else {
                        break;
                    }
                }
                return null;
            }
        }).replaceWithVoid();
    }

    @Override
    public Uni<Boolean> evict(String key) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                return entries.remove(key) != null;
            }
        });
    }
}
