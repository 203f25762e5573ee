package dev.agentruntime.store.memory;

import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.run.CapacityExceededException;
import dev.agentruntime.run.RateLimitedException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/** The embedded queue: runs wait in this process and execute here, at most {@code maxConcurrent} at once. */
public final class MemoryRunQueue implements RunQueue {

    private static final Logger LOG = Logger.getLogger(MemoryRunQueue.class);

    private final MemoryRunStore store;
    private final RunJournal journal;
    private final int maxQueued;
    private final int maxUnfinishedPerTenant;
    private final int maxConcurrent;
    private final Deque<UUID> waiting = new ArrayDeque<>();
    private int running;
    private Consumer consumer;

    MemoryRunQueue(MemoryRunStore store, RunJournal journal, QueueConfig config) {
        this.store = store;
        this.journal = journal;
        this.maxQueued = config.maxQueued();
        this.maxUnfinishedPerTenant = config.maxUnfinishedPerTenant();
        this.maxConcurrent = config.maxConcurrent();
    }

    /** The memory store saves synchronously: capacity, the tenant's quota, the save and the queueing are one step. */
    @Override
    public Uni<Void> submit(Run run) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                if (waiting.size() + running >= maxQueued) {
                    throw new CapacityExceededException(maxQueued);
                }
                if (!store.admit(run, maxUnfinishedPerTenant)) {
                    throw RateLimitedException.unfinished(maxUnfinishedPerTenant);
                }
                waiting.add(run.runId());
            }
            return null;
        }).invoke(this::drain).replaceWithVoid();
    }

    @Override
    public Uni<Void> admit(String tenant) {
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                if (waiting.size() + running >= maxQueued) {
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
                synchronized (this) {
                    waiting.add(next.runId());
                }
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
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                return (long) waiting.size() + running;
            }
        });
    }

    private void drain() {
        while (true) {
            UUID next;
            Consumer target;
            synchronized (this) {
                if (consumer == null || running >= maxConcurrent || waiting.isEmpty()) {
                    return;
                }
                next = waiting.poll();
                running++;
                target = consumer;
            }
            // The memory store holds the run itself: reading it costs nothing.
            target.process(next, null)
                    .runSubscriptionOn(Infrastructure.getDefaultExecutor())
                    .onTermination().invoke(() -> {
                        synchronized (this) {
                            running--;
                        }
                        drain();
                    })
                    .subscribe().with(done -> { }, failure -> LOG.errorf(failure, "run %s failed to execute", next));
        }
    }
}
