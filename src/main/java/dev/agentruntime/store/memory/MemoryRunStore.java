package dev.agentruntime.store.memory;

import dev.agentruntime.store.RunStore;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The embedded store: runs in this process, with the same TTL rule as Redis and a bound on how many ended runs it
 * keeps. A run that has not ended is never dropped for the bound (its executor, its client and its event stream
 * still need it); the queue's bounds keep those few.
 */
public final class MemoryRunStore implements RunStore {

    private static final Comparator<Run> NEWEST_FIRST = Comparator.comparing(Run::createdAt).reversed()
            .thenComparing(Run::runId);

    private final Map<UUID, Run> runs = new ConcurrentHashMap<>();
    private final NavigableSet<Run> byTime = new ConcurrentSkipListSet<>(NEWEST_FIRST);
    /** The runs that have ended, newest first: the only ones the bounds drop; guarded by {@code this}. */
    private final NavigableSet<Run> ended = new TreeSet<>(NEWEST_FIRST);
    /** Each tenant's runs that have not ended, for its quota; guarded by {@code this}. */
    private final Map<String, Set<UUID>> unfinished = new HashMap<>();
    /** What each run holds, about (see {@link Footprint}), and their sum; guarded by {@code this}. */
    private final Map<UUID, Long> footprints = new HashMap<>();
    /** Runs awaiting approval, by id. */
    private final Map<UUID, Run> awaiting = new HashMap<>();
    private long bytes;
    private final Clock clock;
    private final Duration ttl;
    private final int maxRuns;
    private final long maxBytes;
    private final Consumer<UUID> onEvicted;

    /** {@code onEvicted} learns of every run dropped (expired, or beyond a bound), to drop what belongs to it. */
    public MemoryRunStore(Clock clock, Duration ttl, int maxRuns, long maxBytes, Consumer<UUID> onEvicted) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxRuns = maxRuns;
        this.maxBytes = maxBytes;
        this.onEvicted = onEvicted;
    }

    public MemoryRunStore(Clock clock, Duration ttl, int maxRuns) {
        this(clock, ttl, maxRuns, Long.MAX_VALUE, id -> { });
    }

    @Override
    public Uni<Void> save(Run run) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                put(run);
            }
            return null;
        });
    }

    /** Stores a new run unless its tenant already has {@code maxUnfinished} runs that have not ended (0: no limit). */
    synchronized boolean admit(Run run, int maxUnfinished) {
        evict();
        if (maxUnfinished > 0 && unfinished.getOrDefault(run.tenant(), Set.of()).size() >= maxUnfinished) {
            return false;
        }
        put(run);
        return true;
    }

    /** Whether {@link #admit} would take one more run of {@code tenant} now. */
    synchronized boolean wouldAdmit(String tenant, int maxUnfinished) {
        evict();
        return maxUnfinished <= 0 || unfinished.getOrDefault(tenant, Set.of()).size() < maxUnfinished;
    }

    /** Saves {@code next} only if the stored run still has status {@code expected}; false otherwise. */
    Uni<Boolean> transition(RunStatus expected, Run next) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Run current = runs.get(next.runId());
                if (current == null || !alive(current) || current.status() != expected) {
                    return false;
                }
                put(next);
                return true;
            }
        });
    }

    /** Saves {@code next} unless the stored run has already ended; false then (a late write changes nothing). */
    Uni<Boolean> saveUnlessEnded(Run next) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                Run current = runs.get(next.runId());
                if (current != null && current.status().isTerminal()) {
                    return false;
                }
                put(next);
                return true;
            }
        });
    }

    private void put(Run run) {
        long footprint = Footprint.of(run);
        Long previousFootprint = footprints.put(run.runId(), footprint);
        bytes += footprint - (previousFootprint == null ? 0 : previousFootprint);
        Run previous = runs.put(run.runId(), run);
        if (previous != null) {
            byTime.remove(previous);
            ended.remove(previous);
        }
        byTime.add(run);
        if (run.status().isTerminal()) {
            ended.add(run);
        }
        if (run.status() == RunStatus.AWAITING_APPROVAL) {
            awaiting.put(run.runId(), run);
        } else {
            awaiting.remove(run.runId());
        }
        Set<UUID> tenants = unfinished.computeIfAbsent(run.tenant(), t -> new HashSet<>());
        if (run.status().isTerminal()) {
            tenants.remove(run.runId());
        } else {
            tenants.add(run.runId());
        }
        evict();
    }

    @Override
    public Uni<Optional<Run>> find(UUID runId) {
        return Uni.createFrom().item(() -> Optional.ofNullable(runs.get(runId)).filter(this::alive));
    }

    @Override
    public Uni<List<Run>> list(String tenant, int limit, int offset) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                evict();
            }
            return byTime.stream().filter(run -> run.tenant().equals(tenant)).filter(this::alive)
                    .skip(offset).limit(limit).toList();
        });
    }

    /** A scan of the runs kept, at most {@code agent.store.memory-max-runs}: no index to keep in step. */
    @Override
    public Uni<List<Run>> forks(Run source, int limit, int offset) {
        return Uni.createFrom().item(() -> byTime.stream()
                .filter(run -> run.forkedFrom() != null && run.forkedFrom().runId().equals(source.runId()))
                .filter(run -> run.tenant().equals(source.tenant())).filter(this::alive)
                .skip(offset).limit(limit).toList());
    }

    @Override
    public Uni<List<Run>> awaitingApproval(String tenant, int limit, int offset) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                return awaiting.values().stream().filter(run -> run.tenant().equals(tenant)).filter(this::alive)
                        .sorted(java.util.Comparator.comparing((Run run) -> run.approval().requestedAt()).reversed()
                                .thenComparing(Run::runId))
                        .skip(offset).limit(limit).toList();
            }
        });
    }

    @Override
    public Uni<List<UUID>> approvalsDue(Instant now, int max) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                return awaiting.values().stream().filter(run -> !run.approval().expiresAt().isAfter(now))
                        .limit(max).map(Run::runId).toList();
            }
        });
    }

    @Override
    public Uni<Long> approvalsPending() {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                return (long) awaiting.size();
            }
        });
    }

    @Override
    public Uni<Void> ping() {
        return Uni.createFrom().voidItem();
    }

    private boolean alive(Run run) {
        return run.createdAt().plus(ttl).isAfter(clock.instant());
    }

    /**
     * Drops expired runs (the oldest sit at the end of {@code byTime}), then the oldest ended runs while the bounds
     * are exceeded. Runs that have not ended stay whatever the bounds: dropping one made a running run answer 404
     * while it kept executing (issue 25); the queue's bounds keep them few.
     */
    private void evict() {
        Run oldest;
        while ((oldest = lastOrNull(byTime)) != null && !alive(oldest)) {
            drop(oldest);
        }
        while ((oldest = lastOrNull(ended)) != null
                && (runs.size() > maxRuns || (bytes > maxBytes && ended.size() > 1))) {
            drop(oldest);
        }
    }

    private void drop(Run run) {
        byTime.remove(run);
        ended.remove(run);
        if (runs.remove(run.runId(), run)) {
            Long footprint = footprints.remove(run.runId());
            bytes -= footprint == null ? 0 : footprint;
            onEvicted.accept(run.runId());
            awaiting.remove(run.runId());
            Set<UUID> tenants = unfinished.get(run.tenant());
            if (tenants != null && tenants.remove(run.runId()) && tenants.isEmpty()) {
                unfinished.remove(run.tenant());
            }
        }
    }

    private static Run lastOrNull(NavigableSet<Run> runs) {
        try {
            return runs.last();
        } catch (java.util.NoSuchElementException empty) {
            return null;
        }
    }
}
