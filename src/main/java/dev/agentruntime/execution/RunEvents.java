package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.StoreConfig;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The payloads of a run's events, and the events that change nothing stored ({@code step_started},
 * {@code step_retrying}); events that go with a state change are written by the
 * {@link dev.agentruntime.store.RunJournal} together with the run.
 */
@ApplicationScoped
public class RunEvents {

    private static final Logger LOG = Logger.getLogger(RunEvents.class);

    private final RunEventLog log;
    private final ObjectMapper mapper;
    /** Waiters for runs that may end in this process: woken at once instead of at the next poll of the log. */
    private final Map<UUID, CompletableFuture<Run>> localEnds = new ConcurrentHashMap<>();
    private final Duration pollInterval;

    public RunEvents(RunEventLog log, ObjectMapper mapper, StoreConfig store) {
        this.log = log;
        this.mapper = mapper;
        this.pollInterval = store.eventPollInterval();
    }

    public ObjectNode started(Run run) {
        return base(run).put("steps", run.plan().steps().size());
    }

    public ObjectNode step(Run run, StepRecord step) {
        ObjectNode data = mapper.valueToTree(step);
        data.put("run_id", run.runId().toString());
        return data;
    }

    public static String stepEndedType(StepRecord step) {
        return step.isDone() ? RunEvent.STEP_COMPLETED : RunEvent.STEP_FAILED;
    }

    public ObjectNode ended(Run run) {
        ObjectNode data = base(run);
        data.set("result", run.result());
        data.put("error", run.error());
        data.put("completed_at", String.valueOf(run.completedAt()));
        return data;
    }

    public Uni<Void> stepStarted(Run run, StepRecord step) {
        return publish(run.runId(), RunEvent.STEP_STARTED, step(run, step));
    }

    public Uni<Void> stepRetrying(Run run, int stepNumber, int attempt) {
        return publish(run.runId(), RunEvent.STEP_RETRYING, base(run).put("step_number", stepNumber)
                .put("attempt", attempt));
    }

    /**
     * Waits at most {@code max} for the run to end. Answers the ended run when it ended in this process (woken
     * directly, nothing to read back), or null when it ended elsewhere or the wait is over: the caller reads it.
     * The event log is only polled after one poll interval, so a run that ends here quickly costs no read.
     */
    public Uni<Run> awaitEnd(UUID runId, Duration max) {
        CompletableFuture<Run> local = localEnds.computeIfAbsent(runId, id -> new CompletableFuture<>());
        Uni<Run> ended = Uni.createFrom().emitter(emitter -> {
            AtomicBoolean settled = new AtomicBoolean();
            Cancellable elsewhere = Uni.createFrom().voidItem().onItem().delayIt().by(pollInterval)
                    .flatMap(ok -> log.stream(runId, null).select().where(RunEvent::isTerminal).toUni())
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

    /** Called once a run has ended and is saved, to wake local waiters with it. */
    public void endedHere(Run run) {
        CompletableFuture<Run> local = localEnds.remove(run.runId());
        if (local != null) {
            local.complete(run);
        }
    }

    /** Informational events must not break a run: a failed publish is logged and the run goes on. */
    private Uni<Void> publish(UUID runId, String type, ObjectNode data) {
        return log.append(runId, type, data).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not publish %s for run %s: %s", type, runId, failure.getMessage());
                    return null;
                });
    }

    private ObjectNode base(Run run) {
        return mapper.createObjectNode().put("run_id", run.runId().toString()).put("status", run.status().wireName());
    }
}
