package dev.agentruntime.execution;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;

/** Makes this instance an executor: takes runs from the queue and executes or resumes them. */
@ApplicationScoped
public class RunProcessor implements RunQueue.Consumer {

    private final RunQueue queue;
    private final RunStore store;
    private final RunExecutor executor;

    public RunProcessor(RunQueue queue, RunStore store, RunExecutor executor) {
        this.queue = queue;
        this.store = store;
        this.executor = executor;
    }

    void onStart(@Observes StartupEvent start) {
        queue.start(this);
    }

    void onStop(@Observes ShutdownEvent stop) {
        queue.stop();
    }

    @Override
    public Uni<Void> process(UUID runId, Run submitted) {
        if (submitted != null && submitted.status() == RunStatus.PENDING) {
            return executor.execute(submitted).replaceWithVoid();
        }
        return store.find(runId).flatMap(found -> found
                .map(run -> executor.execute(run).replaceWithVoid())
                // Expired before it ran: nothing left to do.
                .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    /** A run its submission started here (ADR 0035): the executor goes on from that start. */
    @Override
    public Uni<Void> proceed(RunQueue.Start start) {
        return executor.executeStarted(start).replaceWithVoid();
    }

    @Override
    public Uni<Void> abandon(UUID runId, int deliveries) {
        return store.find(runId).flatMap(found -> found
                .map(run -> executor.abandon(run, deliveries).replaceWithVoid())
                .orElseGet(() -> Uni.createFrom().voidItem()));
    }
}
