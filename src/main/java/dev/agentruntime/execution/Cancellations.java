package dev.agentruntime.execution;

import dev.agentruntime.store.CancellationSignals;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one owner of cancellation: the durable flag every executor checks between steps, the notice that reaches
 * every instance, and the interruption of a step in flight on the instance that executes the run.
 */
@ApplicationScoped
public class Cancellations {

    private static final Logger LOG = Logger.getLogger(Cancellations.class);

    private final CancellationSignals signals;
    /** Runs executing in this process, so a request can interrupt the step in flight at once. */
    private final Map<UUID, CompletableFuture<Void>> executing = new ConcurrentHashMap<>();
    private volatile Cancellable listening;

    public Cancellations(CancellationSignals signals) {
        this.signals = signals;
    }

    void onStart(@Observes StartupEvent start) {
        listen();
    }

    void onStop(@Observes ShutdownEvent stop) {
        Cancellable current = listening;
        listening = null;
        if (current != null) {
            current.cancel();
        }
    }

    /** Asks the run to stop, wherever it executes: sets the flag, tells every instance, interrupts it if here. */
    public Uni<Void> request(UUID runId) {
        return signals.request(runId).invoke(() -> interrupt(runId));
    }

    Uni<Boolean> isRequested(UUID runId) {
        return signals.isRequested(runId);
    }

    /** Whether a notice to stop {@code runId} reached this instance while it executes the run here. */
    boolean noticedHere(UUID runId) {
        CompletableFuture<Void> future = executing.get(runId);
        return future != null && future.isDone();
    }

    /** Forgets the request once the run has ended. */
    Uni<Void> clear(UUID runId) {
        return signals.clear(runId);
    }

    /** The run executes here from now on, until {@link #unregister}. */
    void register(UUID runId) {
        executing.putIfAbsent(runId, new CompletableFuture<>());
    }

    void unregister(UUID runId) {
        executing.remove(runId);
    }

    /** Calls {@code action} once cancellation of {@code runId} is requested (never, if it does not execute here). */
    void whenRequested(UUID runId, Runnable action) {
        CompletableFuture<Void> future = executing.get(runId);
        if (future != null) {
            future.thenRun(action);
        }
    }

    private void interrupt(UUID runId) {
        CompletableFuture<Void> future = executing.get(runId);
        if (future != null) {
            future.complete(null);
        }
    }

    /** Notices reach every instance; the one executing the run interrupts it. Resubscribes when the feed is lost. */
    private void listen() {
        listening = signals.requests().subscribe().with(this::interrupt, failure -> {
            LOG.debugf("cancellation notices interrupted (%s); listening again", failure.getMessage());
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(1))
                    .subscribe().with(ok -> {
                        if (listening != null) {
                            listen();
                        }
                    });
        });
    }
}
