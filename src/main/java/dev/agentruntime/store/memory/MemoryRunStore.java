package dev.agentruntime.store.memory;

import dev.agentruntime.store.RunStore;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/** The embedded store: runs in this process, with the same TTL rule as Redis and a bound on how many it keeps. */
public final class MemoryRunStore implements RunStore {

    private static final Comparator<Run> NEWEST_FIRST = Comparator.comparing(Run::createdAt).reversed()
            .thenComparing(Run::runId);

    private final Map<UUID, Run> runs = new ConcurrentHashMap<>();
    private final NavigableSet<Run> byTime = new ConcurrentSkipListSet<>(NEWEST_FIRST);
    private final Clock clock;
    private final Duration ttl;
    private final int maxRuns;

    public MemoryRunStore(Clock clock, Duration ttl, int maxRuns) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxRuns = maxRuns;
    }

    @Override
    public Uni<Void> save(Run run) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Run previous = runs.put(run.runId(), run);
                if (previous != null) {
                    byTime.remove(previous);
                }
                byTime.add(run);
                evict();
            }
            return null;
        });
    }

    /** Saves {@code next} only if the stored run still has status {@code expected}; false otherwise. */
    public Uni<Boolean> transition(RunStatus expected, Run next) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Run current = runs.get(next.runId());
                if (current == null || !alive(current) || current.status() != expected) {
                    return false;
                }
                runs.put(next.runId(), next);
                byTime.remove(current);
                byTime.add(next);
                return true;
            }
        });
    }

    @Override
    public Uni<Optional<Run>> find(UUID runId) {
        return Uni.createFrom().item(() -> Optional.ofNullable(runs.get(runId)).filter(this::alive));
    }

    @Override
    public Uni<List<Run>> list(String tenant, int limit, int offset) {
        return Uni.createFrom().item(() -> {
            evict();
            return byTime.stream().filter(run -> run.tenant().equals(tenant)).filter(this::alive)
                    .skip(offset).limit(limit).toList();
        });
    }

    @Override
    public Uni<Void> ping() {
        return Uni.createFrom().voidItem();
    }

    private boolean alive(Run run) {
        return run.createdAt().plus(ttl).isAfter(clock.instant());
    }

    /** Oldest runs sit at the end of {@code byTime}: drop expired ones and any beyond the bound. */
    private void evict() {
        Run oldest;
        while ((oldest = lastOrNull()) != null && (!alive(oldest) || runs.size() > maxRuns)) {
            if (byTime.remove(oldest)) {
                runs.remove(oldest.runId(), oldest);
            }
        }
    }

    private Run lastOrNull() {
        try {
            return byTime.last();
        } catch (java.util.NoSuchElementException empty) {
            return null;
        }
    }
}
