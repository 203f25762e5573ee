package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.EventPayloads;
import dev.agentruntime.store.RunEventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The payloads of a run's events (their shapes are {@link EventPayloads}), and the publishing of the events that
 * change nothing stored ({@code step_started}, {@code step_retrying}); events that go with a state change are
 * written by the {@link dev.agentruntime.store.RunJournal} together with the run.
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

    public ObjectNode started(Run run) {
        return payloads.started(run);
    }

    public ObjectNode step(Run run, StepRecord step) {
        return payloads.step(run, step);
    }

    /** A request for approval, or its decision: the run, its status and the approval as the run holds it. */
    public ObjectNode approval(Run run) {
        return payloads.approval(run);
    }

    public ObjectNode ended(Run run) {
        return payloads.ended(run);
    }

    public Uni<Void> stepStarted(Run run, StepRecord step) {
        return publish(run.runId(), EventType.STEP_STARTED, step(run, step));
    }

    /**
     * Publishes that a step whose tool is not idempotent starts, and fails if that cannot be recorded: the event is
     * what tells a resumed run that the call may have happened.
     */
    public Uni<Void> stepStartedDurably(Run run, StepRecord step) {
        return log.append(run.runId(), EventType.STEP_STARTED, step(run, step)).replaceWithVoid();
    }

    /** Whether the run's events show that {@code stepNumber} started: for a run resumed after a crash. */
    public Uni<Boolean> wasStarted(UUID runId, int stepNumber) {
        return log.replay(runId, null)
                .select().where(event -> event.type() == EventType.STEP_STARTED
                        && event.data().path("step_number").asInt() == stepNumber)
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
        return log.replay(runId, null).collect().asList().map(RunEvents::underWay);
    }

    private static UnaryOperator<Run> underWay(List<RunEvent> events) {
        Map<Integer, RunEvent> started = new HashMap<>();
        Map<Integer, Integer> attempts = new HashMap<>();
        for (RunEvent event : events) {
            int step = event.data().path("step_number").asInt();
            switch (event.type()) {
                case STEP_STARTED -> {
                    started.put(step, event);
                    attempts.put(step, 1);
                }
                case STEP_RETRYING -> attempts.put(step, event.data().path("attempt").asInt(1));
                case STEP_COMPLETED, STEP_FAILED, STEP_INTERRUPTED -> started.remove(step);
                default -> { }
            }
        }
        return run -> {
            Run overlaid = run;
            for (Map.Entry<Integer, RunEvent> entry : started.entrySet()) {
                int number = entry.getKey();
                if (number < 1 || number > run.executionLog().size()
                        || run.step(number).status() != StepStatus.PENDING) {
                    continue;
                }
                JsonNode data = entry.getValue().data();
                Instant at = data.path("started_at").isTextual() ? Instant.parse(data.get("started_at").asText())
                        : null;
                JsonNode input = data.hasNonNull("tool_input") ? data.get("tool_input")
                        : run.step(number).toolInput();
                overlaid = overlaid.withStep(run.step(number).running(input, at).attempt(attempts.get(number)));
            }
            return overlaid;
        };
    }

    public Uni<Void> stepRetrying(Run run, int stepNumber, int attempt) {
        return publish(run.runId(), EventType.STEP_RETRYING, payloads.retrying(run, stepNumber, attempt));
    }

    /** Informational events must not break a run: a failed publish is logged and the run goes on. */
    private Uni<Void> publish(UUID runId, EventType type, ObjectNode data) {
        return log.append(runId, type, data).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not publish %s for run %s: %s", type.wireName(), runId, failure.getMessage());
                    return null;
                });
    }
}
