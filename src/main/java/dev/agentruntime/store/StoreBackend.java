package dev.agentruntime.store;

import dev.agentruntime.redis.RedisAccess;

import java.util.Optional;

/**
 * One state store's adapters for every port, built together: the embedded memory store or Redis. Capabilities that
 * keep their own state (todos, quotas) build their adapters beside these, on the same backend.
 */
public interface StoreBackend {

    RunStore runs();

    RunJournal journal();

    RunEventLog events();

    RunQueue queue();

    IdempotencyKeys idempotencyKeys();

    CancellationSignals cancellationSignals();

    /** The Redis this backend keeps its state in, for the capabilities that keep theirs beside it; none in memory. */
    default Optional<RedisAccess> redis() {
        return Optional.empty();
    }
}
