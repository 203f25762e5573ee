package dev.agentruntime.store.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.store.CancellationSignals;
import dev.agentruntime.store.CompactHistory;
import dev.agentruntime.store.EventPayloads;
import dev.agentruntime.store.IdempotencyKeys;
import dev.agentruntime.store.QueueConfig;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.store.StoreBackend;
import dev.agentruntime.store.StoreConfig;
import dev.agentruntime.store.TenantShares;

import java.time.Clock;

/** The embedded store: every port kept in this process, bounded in count and by the same TTLs as Redis. */
public record MemoryBackend(RunStore runs, RunJournal journal, RunEventLog events, RunQueue queue,
                            IdempotencyKeys idempotencyKeys, CancellationSignals cancellationSignals)
        implements StoreBackend {

    public static MemoryBackend create(StoreConfig config, QueueConfig queue, TenantShares.Share share, Clock clock,
                                       ObjectMapper mapper) {
        MemoryRunEventLog events = new MemoryRunEventLog(clock, config.ttl(), config.eventsRetention(),
                new CompactHistory(new EventPayloads(mapper)));
        MemoryIdempotencyKeys keys = new MemoryIdempotencyKeys(clock, config.ttl(), config.memoryMaxRuns());
        // A run's events and idempotency key go with it: what bounds the runs bounds them too.
        MemoryRunStore runs = new MemoryRunStore(clock, config.ttl(), config.memoryMaxRuns(),
                config.memoryMaxBytes().asLongValue(), runId -> {
                    events.forget(runId);
                    keys.forget(runId);
                });
        MemoryRunJournal journal = new MemoryRunJournal(runs, events);
        return new MemoryBackend(runs, journal, events, new MemoryRunQueue(runs, events, journal, queue, share), keys,
                new MemoryCancellationSignals());
    }
}
