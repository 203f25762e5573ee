package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.store.EventPayloads;
import dev.agentruntime.store.RunEventLog;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.UUID;

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
