package dev.agentruntime.execution;

import dev.agentruntime.store.CancellationSignals;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * Makes this instance an executor: takes runs from the queue and executes or resumes them, and listens for
 * cancellation requests from any instance.
 */
@ApplicationScoped
public class RunProcessor implements RunQueue.Consumer {

    private static final Logger LOG = Logger.getLogger(RunProcessor.class);

    private final RunQueue queue;
    private final RunStore store;
    private final RunExecutor executor;
    private final CancellationSignals signals;
    private final LocalCancellations cancellations;
    private volatile Cancellable listening;

    public RunProcessor(RunQueue queue, RunStore store, RunExecutor executor, CancellationSignals signals,
                        LocalCancellations cancellations) {
        this.queue = queue;
        this.store = store;
        this.executor = executor;
        this.signals = signals;
        this.cancellations = cancellations;
    }

    void onStart(@Observes StartupEvent start) {
        queue.start(this);
        listen();
    }

    void onStop(@Observes ShutdownEvent stop) {
        queue.stop();
        if (listening != null) {
            listening.cancel();
        }
    }

    @Override
    public Uni<Void> process(UUID runId) {
        return store.find(runId).flatMap(found -> found
                .map(run -> executor.execute(run).replaceWithVoid())
                // Expired before it ran: nothing left to do.
                .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    @Override
    public Uni<Void> abandon(UUID runId, int deliveries) {
        return store.find(runId).flatMap(found -> found
                .map(run -> executor.abandon(run, deliveries).replaceWithVoid())
                .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    /** Cancellation notices reach every instance; the one executing the run interrupts it. Resubscribes on loss. */
    private void listen() {
        listening = signals.requests().subscribe().with(cancellations::cancel, failure -> {
            LOG.debugf("cancellation notices interrupted (%s); listening again", failure.getMessage());
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(1))
                    .subscribe().with(ok -> listen());
        });
    }
}
