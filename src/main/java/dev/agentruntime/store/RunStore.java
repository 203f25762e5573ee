package dev.agentruntime.store;

import dev.agentruntime.run.Run;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where runs live. A save writes the whole run at once (never half a run) and keeps it for the configured TTL
 * from the run's creation. Failures to reach the store surface as
 * {@link dev.agentruntime.run.StoreUnavailableException}.
 */
public interface RunStore {

    Uni<Void> save(Run run);

    Uni<Optional<Run>> find(UUID runId);

    /**
     * The same read for an event stream that opens: on Redis it goes over the followers' own connection, so a crowd
     * of followers arriving together never takes the pool's connections from the executors.
     */
    default Uni<Optional<Run>> findForFollower(UUID runId) {
        return find(runId);
    }

    /** The tenant's runs still stored, newest first. */
    Uni<List<Run>> list(String tenant, int limit, int offset);

    /**
     * The runs forked from {@code source} (a run of the caller's, already checked), newest first: its own forks,
     * not theirs. Bounded like {@link #list}.
     */
    Uni<List<Run>> forks(Run source, int limit, int offset);

    /** The tenant's runs awaiting approval, the most recent request first. */
    Uni<List<Run>> awaitingApproval(String tenant, int limit, int offset);

    /** Runs (of any tenant) whose request for approval expired by {@code now}, at most {@code max}. */
    Uni<List<UUID>> approvalsDue(Instant now, int max);

    /** How many runs await approval, of every tenant: a gauge. */
    Uni<Long> approvalsPending();

    /** Succeeds when the store answers; used by readiness. */
    Uni<Void> ping();

    /**
     * Whether the store takes writes now: false while it refuses them for lack of memory (a Redis at its
     * {@code maxmemory} with {@code noeviction}), which readiness reports; fails when the store does not answer.
     */
    default Uni<Boolean> acceptsWrites() {
        return ping().replaceWith(true);
    }
}
