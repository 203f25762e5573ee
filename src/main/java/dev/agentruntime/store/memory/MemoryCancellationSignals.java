package dev.agentruntime.store.memory;

import dev.agentruntime.store.CancellationSignals;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Cancellation within this process. Flags are few (one per cancelled run) and cleared when the run ends. */
public final class MemoryCancellationSignals implements CancellationSignals {

    private final Set<UUID> requested = ConcurrentHashMap.newKeySet();
    private final BroadcastProcessor<UUID> requests = BroadcastProcessor.create();

    @Override
    public Uni<Void> request(UUID runId) {
        return Uni.createFrom().item(() -> {
            requested.add(runId);
            requests.onNext(runId);
            return null;
        });
    }

    @Override
    public Uni<Boolean> isRequested(UUID runId) {
        return Uni.createFrom().item(() -> requested.contains(runId));
    }

    @Override
    public Multi<UUID> requests() {
        return requests;
    }

    @Override
    public Uni<Void> clear(UUID runId) {
        return Uni.createFrom().item(() -> {
            requested.remove(runId);
            return null;
        });
    }
}
