package dev.agentruntime.store.memory;

import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.TenantShares;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * The embedded queue: runs wait in this process, one line per tenant, and execute here in the slots
 * {@link TenantShares} hands out (each tenant at most its share; a freed slot to the tenant holding the fewest).
 */
public final class MemoryRunQueue implements RunQueue {

    private static final Logger LOG = Logger.getLogger(MemoryRunQueue.class);

    /** A run waiting for a slot, with the tenant it counts for. */
    private record Queued(UUID runId, String tenant) {
    }

    private final MemoryRunStore store;
    private final MemoryRunEventLog events;
    private final RunJournal journal;
    private final int maxQueued;
    private final int maxUnfinishedPerTenant;
    private final TenantShares<Queued> shares;
    private Consumer consumer;

    MemoryRunQueue(MemoryRunStore store, MemoryRunEventLog events, RunJournal journal, QueueConfig config,
                   TenantShares.Share share) {
        this.store = store;
        this.events = events;
        this.journal = journal;
        this.maxQueued = config.maxQueued();
        this.maxUnfinishedPerTenant = config.maxUnfinishedPerTenant();
        this.shares = new TenantShares<>(share, Queued::tenant);
    }

    /**
     * The memory store saves synchronously: capacity, the tenant's quota, the save and the queueing are one step. It
     * has no memory to check, so both admissions check the same bounds, and no fsync to save: its executor writes the
     * run's start, never the submission.
     */
    @Override
    public Uni<Void> submit(Submission submission) {
        return submit(submission.run(), List.of());
    }

    /**
     * The same, with the fork's events appended in that step too (under this lock, before the run is queued); its
     * source's forks are found from the run itself ({@code forked_from}), so there is no index to keep in step.
     */
    @Override
    public Uni<Void> submitFork(Run fork, List<JournalEvent> events) {
        return submit(fork, events);
    }

    private Uni<Void> submit(Run run, List<JournalEvent> appended) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                if (shares.waiting() + shares.used() >= maxQueued) {
                    throw new CapacityExceededException(maxQueued);
                }
                if (!store.admit(run, maxUnfinishedPerTenant)) {
                    throw RateLimitedException.unfinished(maxUnfinishedPerTenant);
                }
                appended.forEach(event -> events.appendNow(run.runId(), event.type(), event.data()));
                shares.offer(new Queued(run.runId(), run.tenant()));
            }
            return null;
        }).invoke(this::drain).replaceWithVoid();
    }

    @Override
    public Uni<Void> admit(String tenant) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                if (shares.waiting() + shares.used() >= maxQueued) {
                    throw new CapacityExceededException(maxQueued);
                }
            }
            if (!store.wouldAdmit(tenant, maxUnfinishedPerTenant)) {
                throw RateLimitedException.unfinished(maxUnfinishedPerTenant);
            }
            return null;
        });
    }

    @Override
    public Uni<Boolean> resume(RunStatus expected, Run next, List<JournalEvent> events) {
        return journal.transition(expected, next, events).invoke(moved -> {
            if (moved) {
                shares.offer(new Queued(next.runId(), next.tenant()));
                drain();
            }
        });
    }

    @Override
    public synchronized void start(Consumer consumer) {
        this.consumer = consumer;
        drain();
    }

    @Override
    public synchronized void stop() {
        consumer = null;
    }

    @Override
    public Uni<Long> depth() {
        return Uni.createFrom().item(() -> (long) shares.waiting() + shares.used());
    }

    private void drain() {
        while (true) {
            Queued next;
            Consumer target;
            synchronized (this) {
                if (consumer == null || (next = shares.next()) == null) {
                    return;
                }
                target = consumer;
            }
            // The memory store holds the run itself: reading it costs nothing.
            target.process(next.runId(), null)
                    .runSubscriptionOn(Infrastructure.getDefaultExecutor())
                    .onTermination().invoke(() -> {
                        shares.release(next.tenant());
                        drain();
                    })
                    .subscribe().with(done -> { }, failure -> LOG.errorf(failure, "run %s failed to execute",
                            next.runId()));
        }
    }
}
