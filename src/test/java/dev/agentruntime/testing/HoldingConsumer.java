package dev.agentruntime.testing;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.RunQueue;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue consumer whose runs execute until the test lets them end, like long waits: it records which runs started,
 * in what order, and the most each tenant executed at once. Runs are known by the tenant the test {@link #expect}s.
 */
public final class HoldingConsumer implements RunQueue.Consumer {

    private final Map<UUID, String> tenants = new ConcurrentHashMap<>();
    private final Map<UUID, CompletableFuture<Void>> executing = new ConcurrentHashMap<>();
    private final List<UUID> started = new CopyOnWriteArrayList<>();
    private final Set<UUID> startedTwice = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final Map<String, Integer> most = new ConcurrentHashMap<>();

    /** Submits nothing: says whose run {@code run} is, before it is submitted. */
    public Run expect(Run run) {
        tenants.put(run.runId(), run.tenant());
        return run;
    }

    @Override
    public Uni<Void> process(UUID runId, Run submitted) {
        if (started.contains(runId)) {
            startedTwice.add(runId);
        }
        started.add(runId);
        String tenant = tenants.getOrDefault(runId, "?");
        int count = now.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
        most.merge(tenant, count, Math::max);
        CompletableFuture<Void> end = new CompletableFuture<>();
        executing.put(runId, end);
        return Uni.createFrom().completionStage(end).onTermination().invoke(() -> now.get(tenant).decrementAndGet());
    }

    @Override
    public Uni<Void> abandon(UUID runId, int deliveries) {
        return Uni.createFrom().voidItem();
    }

    public boolean started(UUID runId) {
        return started.contains(runId);
    }

    /** The runs started, in the order they started. */
    public List<UUID> startOrder() {
        return List.copyOf(started);
    }

    /** Runs of {@code tenant} executing now. */
    public int executing(String tenant) {
        AtomicInteger count = now.get(tenant);
        return count == null ? 0 : count.get();
    }

    /** The most runs of {@code tenant} that executed at once. */
    public int mostAtOnce(String tenant) {
        return most.getOrDefault(tenant, 0);
    }

    public Set<UUID> startedTwice() {
        return Set.copyOf(startedTwice);
    }

    /** Ends the run, which frees its slot. */
    public void end(UUID runId) {
        CompletableFuture<Void> end = executing.remove(runId);
        if (end != null) {
            end.complete(null);
        }
    }

    /** Ends every run executing now. */
    public void endAll() {
        executing.keySet().forEach(this::end);
    }
}
