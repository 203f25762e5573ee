package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.RunEventBody.StepEvent;
import dev.agentruntime.run.RunEventBody.StepRetrying;
import dev.agentruntime.run.RunEventBody.StepStarted;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.EventPayloads;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunEventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A run's events, typed ({@link RunEventBody}; their JSON is {@link EventPayloads}): built from the run as it changes,
 * so an event's type follows from what happened, and read back as records. Publishes the events that change nothing
 * stored ({@code step_started}, {@code step_retrying}); events that go with a state change are written by the
 * {@link dev.agentruntime.store.RunJournal} together with the run.
 */
@ApplicationScoped
public class RunEvents {

    private static final Logger LOG = Logger.getLogger(RunEvents.class);

    private final RunEventLog log;
    private final EventPayloads payloads;

    public RunEvents(RunEventLog log, ObjectMapper mapper) {
        this.log = log;
        this.payloads = new EventPayloads(mapper);
    }

    /** {@code run_started}. */
    public JournalEvent started(Run run) {
        return payloads.journal(RunEventBody.started(run));
    }

    /**
     * A fork's first events, written with it: {@code run_forked}, then a {@code step_completed} (reused) for each
     * step it keeps from its source, so that a follower sees those steps completed without their having started.
     */
    public List<JournalEvent> forked(Run fork) {
        List<JournalEvent> events = new java.util.ArrayList<>();
        events.add(payloads.journal(RunEventBody.forked(fork)));
        fork.executionLog().stream().filter(StepRecord::reused)
                .forEach(step -> events.add(payloads.journal(RunEventBody.stepEnded(fork, step))));
        return events;
    }

    /** The event of {@code step}, which has ended: completed, failed or interrupted. */
    public JournalEvent step(Run run, StepRecord step) {
        return payloads.journal(RunEventBody.stepEnded(run, step));
    }

    /** A request for approval, or its decision, as the run's approval says ({@link RunEventBody#approval(Run)}). */
    public JournalEvent approval(Run run) {
        return payloads.journal(RunEventBody.approval(run));
    }

    /** The event that ends {@code run}, from its status. */
    public JournalEvent ended(Run run) {
        return payloads.journal(RunEventBody.ended(run));
    }

    /** What an event read from a log says: for faces that show events (MCP progress) without picking fields. */
    public RunEventBody body(RunEvent event) {
        return payloads.read(event);
    }

    public Uni<Void> stepStarted(Run run, StepRecord step) {
        return publish(RunEventBody.step(EventType.STEP_STARTED, run.runId(), step));
    }

    /**
     * Publishes that a step whose tool is not idempotent starts, and fails if that cannot be recorded: the event is
     * what tells a resumed run that the call may have happened.
     */
    public Uni<Void> stepStartedDurably(Run run, StepRecord step) {
        return log.append(run.runId(), EventType.STEP_STARTED,
                payloads.json(RunEventBody.step(EventType.STEP_STARTED, run.runId(), step))).replaceWithVoid();
    }

    /** Whether the run's events show that {@code stepNumber} started: for a run resumed after a crash. */
    public Uni<Boolean> wasStarted(UUID runId, int stepNumber) {
        return log.replay(runId, null)
                .select().where(event -> event.type() == EventType.STEP_STARTED
                        && ((StepEvent) payloads.read(event)).step().stepNumber() == stepNumber)
                .toUni().map(java.util.Objects::nonNull);
    }

    /**
     * The run with the steps that are under way shown as such. A run's record is written as its steps end, so a step
     * that has started (its {@code step_started} is in the log) still reads {@code pending} there: the record is
     * overlaid with what the run's own events say (the step's resolved input, when it started, which attempt it is
     * on). Costs one read of the events, and only for a running run with pending steps; nothing is written, so the
     * run's execution costs not one command more (ADR 0025).
     */
    public Uni<Run> withStepsUnderWay(Run run) {
        if (run.status() != RunStatus.RUNNING
                || run.executionLog().stream().noneMatch(step -> step.status() == StepStatus.PENDING)) {
            return Uni.createFrom().item(run);
        }
        return stepsUnderWay(run.runId()).map(overlay -> overlay.apply(run));
    }

    /** What {@link #withStepsUnderWay} overlays, read now, to apply to the run as it is when it is applied. */
    public Uni<UnaryOperator<Run>> stepsUnderWay(UUID runId) {
        return log.replay(runId, null).collect().asList().map(this::underWay);
    }

    private UnaryOperator<Run> underWay(List<RunEvent> events) {
        Map<Integer, StepRecord> started = new HashMap<>();
        Map<Integer, Integer> attempts = new HashMap<>();
        for (RunEvent event : events) {
            if (!isStepEvent(event.type())) {
                continue;
            }
            RunEventBody body = payloads.read(event);
            if (body instanceof StepStarted begun) {
                started.put(begun.step().stepNumber(), begun.step());
                attempts.put(begun.step().stepNumber(), 1);
            } else if (body instanceof StepRetrying retrying) {
                attempts.put(number(retrying.stepNumber()), retrying.attempt() == null ? 1 : retrying.attempt());
            } else if (body instanceof StepEvent ended) {
                started.remove(ended.step().stepNumber());
            }
        }
        return run -> {
            Run overlaid = run;
            for (Map.Entry<Integer, StepRecord> entry : started.entrySet()) {
                int number = entry.getKey();
                if (number < 1 || number > run.executionLog().size()
                        || run.step(number).status() != StepStatus.PENDING) {
                    continue;
                }
                StepRecord begun = entry.getValue();
                JsonNode input = begun.toolInput() != null && !begun.toolInput().isNull() ? begun.toolInput()
                        : run.step(number).toolInput();
                overlaid = overlaid.withStep(run.step(number).running(input, begun.startedAt())
                        .attempt(attempts.get(number)));
            }
            return overlaid;
        };
    }

    private static boolean isStepEvent(EventType type) {
        return switch (type) {
            case STEP_STARTED, STEP_RETRYING, STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED -> true;
            default -> false;
        };
    }

    private static int number(Integer stepNumber) {
        return stepNumber == null ? 0 : stepNumber;
    }

    public Uni<Void> stepRetrying(Run run, int stepNumber, int attempt) {
        return publish(RunEventBody.retrying(run, stepNumber, attempt));
    }

    /** Informational events must not break a run: a failed publish is logged and the run goes on. */
    private Uni<Void> publish(RunEventBody body) {
        return log.append(body.runId(), body.type(), payloads.json(body)).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not publish %s for run %s: %s", body.type().wireName(), body.runId(),
                            failure.getMessage());
                    return null;
                });
    }
}
