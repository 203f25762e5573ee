package dev.agentruntime.execution;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Runs executing in this process, so a cancellation request can interrupt the step in flight at once. */
@ApplicationScoped
public class LocalCancellations {

    private final Map<UUID, CompletableFuture<Void>> executing = new ConcurrentHashMap<>();

    void register(UUID runId) {
        executing.putIfAbsent(runId, new CompletableFuture<>());
    }

    void unregister(UUID runId) {
        executing.remove(runId);
    }

    /** Calls {@code action} once cancellation of {@code runId} is requested (never, if it does not execute here). */
    void whenCancelled(UUID runId, Runnable action) {
        CompletableFuture<Void> future = executing.get(runId);
        if (future != null) {
            future.thenRun(action);
        }
    }

    /** Interrupts the run if it executes here; otherwise a no-op (the instance that has it will see the flag). */
    public void cancel(UUID runId) {
        CompletableFuture<Void> future = executing.get(runId);
        if (future != null) {
            future.complete(null);
        }
    }
}
