package dev.agentruntime.execution;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.StoreConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Callers waiting for a run to end ({@code Prefer: wait}) or to pause for approval: woken at once, with the run, when
 * that happens in this process; otherwise by the event in the event log, which any instance may write.
 */
@ApplicationScoped
public class RunWaiters {

    private final RunEventLog log;
    private final Map<UUID, CompletableFuture<Run>> localEnds = new ConcurrentHashMap<>();
    private final Duration pollInterval;

    public RunWaiters(RunEventLog log, StoreConfig store) {
        this.log = log;
        this.pollInterval = store.eventPollInterval();
    }

    /**
     * Waits at most {@code max} for the run to end. Answers the ended run when it ended in this process (nothing to
     * read back), or null when it ended elsewhere or the wait is over: the caller reads it. The event log is only
     * read after one poll interval, so a run that ends here quickly costs no read.
     */
    public Uni<Run> awaitEnd(UUID runId, Duration max) {
        CompletableFuture<Run> local = localEnds.computeIfAbsent(runId, id -> new CompletableFuture<>());
        Uni<Run> ended = Uni.createFrom().emitter(emitter -> {
            AtomicBoolean settled = new AtomicBoolean();
            Cancellable elsewhere = Uni.createFrom().voidItem().onItem().delayIt().by(pollInterval)
                    .flatMap(ok -> log.stream(runId, null).select().where(RunWaiters::settles).toUni())
                    .subscribe().with(end -> {
                        if (settled.compareAndSet(false, true)) {
                            emitter.complete(null);
                        }
                    }, failure -> {
                        if (settled.compareAndSet(false, true)) {
                            emitter.fail(failure);
                        }
                    });
            local.thenAccept(run -> {
                if (settled.compareAndSet(false, true)) {
                    elsewhere.cancel();
                    emitter.complete(run);
                }
            });
            emitter.onTermination(elsewhere::cancel);
        });
        return ended.ifNoItem().after(max).recoverWithItem((Run) null)
                .onTermination().invoke(() -> localEnds.remove(runId, local));
    }

    /**
     * Whether the event settles a wait: the run ended, or it now waits for a person, which may take a day: a caller
     * then gets the run as it stands, with what is asked.
     */
    private static boolean settles(RunEvent event) {
        return event.isTerminal() || event.type() == EventType.APPROVAL_REQUESTED;
    }

    /** Called once a run awaits approval and is saved: local waiters get it as it stands. */
    public void settled(Run run) {
        ended(run);
    }

    /** Called once a run has ended and is saved, to wake local waiters with it. */
    public void ended(Run run) {
        CompletableFuture<Run> local = localEnds.remove(run.runId());
        if (local != null) {
            local.complete(run);
        }
    }
}
