package dev.agentruntime.store;

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
}
