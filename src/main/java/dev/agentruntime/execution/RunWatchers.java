package dev.agentruntime.execution;

import dev.agentruntime.run.Run;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Lets a request wait for a run executing in this process to end ({@code Prefer: wait=N}). */
@ApplicationScoped
public class RunWatchers {

    private final Map<UUID, Set<CompletableFuture<Run>>> waiting = new ConcurrentHashMap<>();

    /**
     * The terminal run once it ends, or null when {@code max} passes first. Register before checking the store,
     * so a run that ends in between is not missed.
     */
    public Uni<Run> awaitTerminal(UUID runId, Duration max) {
        CompletableFuture<Run> future = new CompletableFuture<>();
        waiting.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(future);
        return Uni.createFrom().completionStage(future)
                .ifNoItem().after(max).recoverWithItem((Run) null)
                .onTermination().invoke(() -> forget(runId, future));
    }

    public void terminated(Run run) {
        Set<CompletableFuture<Run>> futures = waiting.remove(run.runId());
        if (futures != null) {
            futures.forEach(f -> f.complete(run));
        }
    }

    private void forget(UUID runId, CompletableFuture<Run> future) {
        waiting.computeIfPresent(runId, (id, futures) -> {
            futures.remove(future);
            return futures.isEmpty() ? null : futures;
        });
    }
}
